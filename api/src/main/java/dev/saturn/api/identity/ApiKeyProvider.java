package dev.saturn.api.identity;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.db.identity.CompanyRepository;
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
 * all fail the same way, so a caller cannot tell them apart; a key of a suspended company fails with
 * {@link TenantSuspendedException}. A key verified in the database is authenticated from
 * {@link VerifiedKeys} for a few seconds (secret, expiry and grace still checked every time), and
 * {@code last_used_at} is written at most once a minute per key, so a request with a recently seen
 * key runs no SQL here.
 */
class ApiKeyProvider implements AuthenticationProvider {

  static final String KEY_PREFIX = "sat_";

  private final ApiKeyRepository keys;
  private final UserRepository users;
  private final JsonMapper json;
  private final CompanyRepository companies;
  private final VerifiedKeys verifiedKeys;
  private final Clock clock;

  ApiKeyProvider(
      ApiKeyRepository keys, UserRepository users, CompanyRepository companies, VerifiedKeys verifiedKeys, JsonMapper json,
      Clock clock) {
    this.keys = keys;
    this.users = users;
    this.companies = companies;
    this.verifiedKeys = verifiedKeys;
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
    String prefix = ApiKeys.prefixOf(token).orElseThrow(ApiKeyProvider::invalid);
    VerifiedKeys.Verified verified = verifiedKeys.find(prefix).orElseGet(() -> verify(prefix, token));
    // Checked on every request, cached or not: the secret, and the key's expiry or grace against the clock.
    if (!ApiKeys.matches(token, verified.key.keyHash()) || !ApiKeyStatus.authenticates(verified.key, now)) {
      throw invalid();
    }
    if (verified.lastUsedDue(now)) {
      keys.touchLastUsed(verified.caller.company(), verified.caller.actorId(), now);
    }
    return new CallerAuthentication(verified.caller);
  }

  /**
   * Reads the key, its owner and its company: a key that authenticates is kept as verified; a wrong
   * secret is refused before anything else is read.
   */
  private VerifiedKeys.Verified verify(String prefix, String token) {
    long readAt = verifiedKeys.generation();
    ApiKeyRow key = keys.findForAuthentication(prefix)
        .filter(row -> ApiKeys.matches(token, row.keyHash()))
        .filter(row -> ApiKeyStatus.authenticates(row, clock.instant()))
        .orElseThrow(ApiKeyProvider::invalid);
    Caller caller = callerOf(key).orElseThrow(ApiKeyProvider::invalid);
    if (companies.isSuspended(caller.company())) {
      throw new TenantSuspendedException();
    }
    return verifiedKeys.keep(prefix, key, caller, readAt);
  }

  private static BadCredentialsException invalid() {
    return new BadCredentialsException("Invalid API key");
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
