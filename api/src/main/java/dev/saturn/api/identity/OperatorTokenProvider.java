package dev.saturn.api.identity;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/**
 * The operator token, compared in constant time. A bearer token that is not it is left to the other
 * providers (null), so the same header carries either kind of credential.
 */
class OperatorTokenProvider implements AuthenticationProvider {

  private final AdminToken adminToken;

  OperatorTokenProvider(AdminToken adminToken) {
    this.adminToken = adminToken;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    return adminToken.matches(((BearerToken) authentication).token()) ? OperatorAuthentication.INSTANCE : null;
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerToken.class.isAssignableFrom(authentication);
  }
}
