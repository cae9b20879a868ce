package dev.saturn.api.identity;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * The platform operator, authenticated by the operator token ({@link AdminToken}). It acts for no
 * company, so it carries no {@link Caller}; only handlers marked {@link Requires.Operator} or
 * {@link Requires.OperatorAllowed} accept it.
 */
public final class OperatorAuthentication extends AbstractAuthenticationToken {

  static final OperatorAuthentication INSTANCE = new OperatorAuthentication();

  private OperatorAuthentication() {
    super(List.of());
    setAuthenticated(true);
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return "operator";
  }

  @Override
  public String toString() {
    return "OperatorAuthentication";
  }
}
