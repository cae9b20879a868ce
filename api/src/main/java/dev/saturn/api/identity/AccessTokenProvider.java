package dev.saturn.api.identity;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.UserRepository;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * A user's access token (any bearer token that is not an API key), verified as a JWT. The role in
 * the database decides, not the one in the token: a demotion or deactivation applies at once.
 */
class AccessTokenProvider implements AuthenticationProvider {

  private final AccessTokens accessTokens;
  private final UserRepository users;

  AccessTokenProvider(AccessTokens accessTokens, UserRepository users) {
    this.accessTokens = accessTokens;
    this.users = users;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerToken) authentication).token();
    if (token.startsWith(ApiKeyProvider.KEY_PREFIX)) {
      return null;
    }
    return accessTokens.verify(token)
        .flatMap(claims -> {
          CompanyId company = CompanyId.of(claims.companyId());
          return users.find(company, claims.userId())
              .filter(u -> UserRepository.ACTIVE.equals(u.status()))
              .map(u -> Caller.user(company, u.id(), RolePermissions.of(u.role())));
        })
        .map(CallerAuthentication::new)
        .orElseThrow(() -> new BadCredentialsException("Invalid or expired access token"));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerToken.class.isAssignableFrom(authentication);
  }
}
