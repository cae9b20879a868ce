package dev.saturn.api.identity;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A company's API keys, for the REST API ({@code /v1/api-keys}) and the console alike: create (the
 * secret is returned once), list, read, revoke, rotate with a grace period, each with its audit row.
 * A caller can never mint a key that may do more than the caller itself.
 */
@Service
class ApiKeyService {

  static final int MAX_EXPIRY_DAYS = 3650;

  private final ApiKeyRepository keys;
  private final AuditTrail audit;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration rotationGrace;
  private final Owners owners;
  private final VerifiedKeys verifiedKeys;

  ApiKeyService(
      ApiKeyRepository keys, AuditTrail audit, JsonMapper json, Clock clock, ApiKeyProperties properties, Owners owners,
      VerifiedKeys verifiedKeys) {
    this.owners = owners;
    this.verifiedKeys = verifiedKeys;
    this.keys = keys;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
    this.rotationGrace = properties.keyRotationGrace();
  }

  /** What the API shows of a key: never its secret or hash. */
  record ApiKeyView(
      String id, String name, String prefix, List<String> scopes, String status, String userId, Instant createdAt,
      Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Instant graceUntil, String replacedBy) {}

  /** {@code apiKey} is the secret, in this response only. */
  record IssuedKey(String apiKey, ApiKeyView key) {}

  /** {@code previous} keeps working until its {@code grace_until}. */
  record RotatedKey(String apiKey, ApiKeyView key, ApiKeyView previous) {}

  /** @param expiresAt and {@code expiresInDays}: at most one; neither for a key that never expires */
  @Transactional
  public IssuedKey create(Caller caller, String name, List<String> requestedScopes, Instant expiresAt, Integer expiresInDays) {
    List<String> scopes = requestedScopes.stream().distinct().toList();
    mayGrant(caller, scopes);
    Instant now = Times.now(clock);
    Instant expiry = expiry(expiresAt, expiresInDays, now);
    ApiKeys.NewKey secret = ApiKeys.generate();
    ApiKeyRow row = new ApiKeyRow(
        Ids.newId(), caller.company().value(), caller.userId(), name, secret.prefix(), secret.hash(),
        json.writeValueAsString(scopes), ApiKeyRow.ACTIVE, now, expiry, null, null, null);
    keys.insert(caller.company(), row);
    ApiKeyView view = view(row, now);
    audit.record(caller, "api_key.create", "api_key", row.id(), null, view);
    return new IssuedKey(secret.key(), view);
  }

  public Page<ApiKeyView> list(Caller caller, String cursor, int limit) {
    Instant now = clock.instant();
    Page<ApiKeyRow> page = keys.list(caller.company(), cursor, limit);
    return new Page<>(page.items().stream().map(k -> view(k, now)).toList(), page.nextCursor());
  }

  public ApiKeyView get(Caller caller, String keyId) {
    return view(find(caller, keyId), clock.instant());
  }

  /**
   * Immediately invalid; revoking a revoked key changes nothing and answers the same. An owner's key
   * is revoked only by its holder or an owner.
   */
  @Transactional
  public ApiKeyView revoke(Caller caller, String keyId) {
    ApiKeyRow before = find(caller, keyId);
    owners.requireMayChangeKeyOf(caller, before.userId(), "revoke");
    Instant now = Times.now(clock);
    if (!keys.revoke(caller.company(), keyId, now)) {
      return view(before, now);
    }
    verifiedKeys.forgetAll();
    ApiKeyView after = view(find(caller, keyId), now);
    audit.record(caller, "api_key.revoke", "api_key", keyId, view(before, now), after);
    return after;
  }

  /**
   * A new secret for the same name, scopes, owner and expiry; the old key keeps working for the
   * configured grace period. Only an active key can be rotated, only by a caller that could have
   * created it, and an owner's key only by its holder or an owner.
   */
  @Transactional
  public RotatedKey rotate(Caller caller, String keyId) {
    ApiKeyRow old = find(caller, keyId);
    owners.requireMayChangeKeyOf(caller, old.userId(), "rotate");
    Instant now = Times.now(clock);
    ApiKeyStatus status = ApiKeyStatus.of(old, now);
    if (status != ApiKeyStatus.ACTIVE) {
      throw ApiException.conflict("Only an active key can be rotated; this key is " + status.wire());
    }
    mayGrant(caller, scopes(old));
    ApiKeys.NewKey secret = ApiKeys.generate();
    ApiKeyRow replacement = new ApiKeyRow(
        Ids.newId(), old.companyId(), old.userId(), old.name(), secret.prefix(), secret.hash(), old.scopesJson(),
        ApiKeyRow.ACTIVE, now, old.expiresAt(), null, null, null);
    keys.insert(caller.company(), replacement);
    if (!keys.markRotated(caller.company(), keyId, replacement.id(), now.plus(rotationGrace))) {
      // A concurrent rotate or revoke won; this transaction (and the new row) rolls back.
      throw ApiException.conflict("The key changed while it was being rotated; read it and try again");
    }
    verifiedKeys.forgetAll(); // the old key's grace ends at grace_until, not at its expiry
    ApiKeyView previous = view(find(caller, keyId), now);
    ApiKeyView created = view(replacement, now);
    audit.record(caller, "api_key.rotate", "api_key", keyId, view(old, now), previous);
    audit.record(caller, "api_key.create", "api_key", replacement.id(), null, created);
    return new RotatedKey(secret.key(), created, previous);
  }

  private ApiKeyRow find(Caller caller, String keyId) {
    return keys.find(caller.company(), keyId).orElseThrow(() -> ApiException.notFound("API key " + keyId));
  }

  /** @throws ApiException 400 for an unknown scope, 403 for one granting what the caller lacks */
  static void mayGrant(Caller caller, List<String> scopes) {
    Set<Permission> granted;
    try {
      granted = KeyScopes.permissions(scopes);
    } catch (IllegalArgumentException unknown) {
      throw ApiException.invalidField(
          "scopes", unknown.getMessage() + "; known scopes: " + String.join(", ", new TreeSet<>(KeyScopes.SCOPES.keySet())));
    }
    Set<Permission> missing = EnumSet.noneOf(Permission.class);
    missing.addAll(granted);
    missing.removeAll(caller.permissions());
    if (!missing.isEmpty()) {
      throw ApiException.forbidden("A key cannot grant permissions its creator lacks: " + missing.stream()
          .map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
  }

  private static Instant expiry(Instant expiresAt, Integer expiresInDays, Instant now) {
    if (expiresAt != null && expiresInDays != null) {
      throw ApiException.invalidField("expires_at", "cannot be combined with expires_in_days");
    }
    if (expiresInDays != null) {
      return now.plus(Duration.ofDays(expiresInDays));
    }
    if (expiresAt != null) {
      if (!expiresAt.isAfter(now)) {
        throw ApiException.invalidField("expires_at", "must be in the future");
      }
      if (expiresAt.isAfter(now.plus(Duration.ofDays(MAX_EXPIRY_DAYS)))) {
        throw ApiException.invalidField("expires_at", "must be at most " + MAX_EXPIRY_DAYS + " days ahead");
      }
      return expiresAt.truncatedTo(ChronoUnit.MICROS);
    }
    return null;
  }

  private List<String> scopes(ApiKeyRow key) {
    return List.of(json.readValue(key.scopesJson(), String[].class));
  }

  private ApiKeyView view(ApiKeyRow key, Instant now) {
    return new ApiKeyView(
        key.id(), key.name(), key.prefix(), scopes(key), ApiKeyStatus.of(key, now).wire(), key.userId(),
        key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt(), key.graceUntil(), key.replacedBy());
  }
}
