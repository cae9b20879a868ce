package dev.saturn.api.identity;

import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.UserRepository;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import tools.jackson.databind.json.JsonMapper;

/**
 * The credentials SATURN accepts, as Spring Security authentication providers behind one
 * {@link AuthenticationManager}: the operator token, company API keys and users' access tokens,
 * all presented as {@code Authorization: Bearer}. A company credential of a suspended company
 * fails authentication with {@link TenantSuspendedException} here, once for every endpoint, so no
 * handler can forget it. For an access token the company's status is read on every request; for an
 * API key when the key is verified ({@link VerifiedKeys}: at once in this process, within
 * {@code saturn.auth.api-key-cache-ttl} of a change made by another).
 */
@Configuration(proxyBeanMethods = false)
class BearerAuthenticationConfig {

  @Bean
  AuthenticationManager bearerAuthenticationManager(
      AdminToken adminToken, ApiKeyRepository keys, UserRepository users, JsonMapper json, Clock clock,
      AccessTokens accessTokens, CompanyRepository companies, VerifiedKeys verifiedKeys) {
    ProviderManager manager = new ProviderManager(List.of(
        new OperatorTokenProvider(adminToken),
        new ApiKeyProvider(keys, users, companies, verifiedKeys, json, clock),
        new AccessTokenProvider(accessTokens, users)));
    // Failures are answered as 401 by the door; nobody listens for Spring's authentication events.
    manager.setEraseCredentialsAfterAuthentication(true);
    return authentication -> {
      Authentication result = manager.authenticate(authentication);
      // An API key's company was checked when the key was verified (ApiKeyProvider, VerifiedKeys).
      if (result instanceof CallerAuthentication caller && caller.caller().actorType() != Caller.ActorType.KEY
          && companies.isSuspended(caller.caller().company())) {
        throw new TenantSuspendedException();
      }
      return result;
    };
  }
}
