package dev.saturn.api.identity;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import tools.jackson.databind.json.JsonMapper;

/**
 * Company API keys ({@code sat_<prefix>_<secret>}): found by prefix, SHA-256 compared in constant
 * time, then {@link ApiKeyStatus#authenticates}. Unknown, revoked, expired and owner-inactive keys
 * all fail the same way, so a caller cannot tell them apart.
 */
class ApiKeyProvider implements AuthenticationProvider {

  static final String KEY_PREFIX = "sat_";

  private final ApiKeyRepository keys;
  private final UserRepository users;
  private final JsonMapper json;
  private final Clock clock;

  ApiKeyProvider(ApiKeyRepository keys, UserRepository users, JsonMapper json, Clock clock) {
    this.keys = keys;
    this.users = users;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String token = ((BearerToken) authentication).token();
    if (!token.startsWith(KEY_PREFIX)) {
      return null;
    }
    Instant now = clock.instant();
    Caller caller = ApiKeys.prefixOf(token)
        .flatMap(keys::findForAuthentication)
        .filter(row -> ApiKeys.matches(token, row.keyHash()))
        .filter(row -> ApiKeyStatus.authenticates(row, now))
        .flatMap(this::callerOf)
        .orElseThrow(() -> new BadCredentialsException("Invalid API key"));
    keys.touchLastUsed(caller.company(), caller.actorId(), now);
    return new CallerAuthentication(caller);
  }

  /** A key may do what its scopes allow, and no more than its owner's role (an inactive owner: nothing). */
  private Optional<Caller> callerOf(ApiKeyRow key) {
    CompanyId company = CompanyId.of(key.companyId());
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    permissions.addAll(KeyScopes.permissions(List.of(json.readValue(key.scopesJson(), String[].class))));
    if (key.userId() != null) {
      Optional<UserRow> owner = users.find(company, key.userId()).filter(u -> UserRepository.ACTIVE.equals(u.status()));
      if (owner.isEmpty()) {
        return Optional.empty();
      }
      permissions.retainAll(RolePermissions.of(owner.get().role()));
    }
    return Optional.of(Caller.key(company, key.id(), key.userId(), permissions));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return BearerToken.class.isAssignableFrom(authentication);
  }
}
