package dev.saturn.api.identity;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * The credential of a request before anyone has checked it: the token of its
 * {@code Authorization: Bearer} header. The providers turn it into a {@link CallerAuthentication}
 * or an {@link OperatorAuthentication}, or refuse it.
 */
public final class BearerToken extends AbstractAuthenticationToken {

  private final String token;

  public BearerToken(String token) {
    super(List.of());
    this.token = token;
  }

  public String token() {
    return token;
  }

  @Override
  public Object getCredentials() {
    return token;
  }

  @Override
  public Object getPrincipal() {
    return null;
  }

  @Override
  public String toString() {
    return "BearerToken[token=****]";
  }
}
