package dev.saturn.api.identity;

import java.util.Locale;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A company's API key or user, authenticated; the {@link Caller} is the principal. */
public final class CallerAuthentication extends AbstractAuthenticationToken {

  private final Caller caller;

  CallerAuthentication(Caller caller) {
    super(caller.permissions().stream()
        .map(p -> new SimpleGrantedAuthority("PERMISSION_" + p.name()))
        .toList());
    this.caller = caller;
    setAuthenticated(true);
  }

  public Caller caller() {
    return caller;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.actor();
  }

  @Override
  public String toString() {
    return "CallerAuthentication[" + caller.actorType().name().toLowerCase(Locale.ROOT) + ":" + caller.actorId()
        + ", company=" + caller.company().value() + "]";
  }
}
