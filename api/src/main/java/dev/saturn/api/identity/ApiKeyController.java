package dev.saturn.api.identity;

import dev.saturn.api.ApiController;
import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * A company's API keys: create (the secret is shown once), list, read, revoke, rotate with a grace
 * period. A caller can never mint a key that may do more than the caller itself.
 */
@ApiController
@RequestMapping("/v1/api-keys")
@Validated
class ApiKeyController {

  private static final int MAX_EXPIRY_DAYS = 3650;

  private final ApiKeyRepository keys;
  private final AuditTrail audit;
  private final JsonMapper json;
  private final Clock clock;
  private final Duration rotationGrace;
  private final Owners owners;

  ApiKeyController(
      ApiKeyRepository keys, AuditTrail audit, JsonMapper json, Clock clock, ApiKeyProperties properties, Owners owners) {
    this.owners = owners;
    this.keys = keys;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
    this.rotationGrace = properties.keyRotationGrace();
  }

  record CreateKey(
      @NotBlank @Size(max = 200) String name,
      @NotNull @Size(min = 1, max = 20) List<@NotBlank String> scopes,
      Instant expiresAt,
      @Min(1) @Max(MAX_EXPIRY_DAYS) Integer expiresInDays) {}

  /** What the API shows of a key: never its secret or hash. */
  record ApiKeyView(
      String id, String name, String prefix, List<String> scopes, String status, String userId, Instant createdAt,
      Instant expiresAt, Instant lastUsedAt, Instant revokedAt, Instant graceUntil, String replacedBy) {}

  record ApiKeyList(List<ApiKeyView> items, String nextCursor) {}

  /** {@code apiKey} is the secret, in this response only. */
  record IssuedKey(String apiKey, ApiKeyView key) {}

  /** {@code previous} keeps working until its {@code grace_until}. */
  record RotatedKey(String apiKey, ApiKeyView key, ApiKeyView previous) {}

  @PostMapping
  @Requires(Permission.KEYS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  public IssuedKey create(Caller caller, @Valid @RequestBody CreateKey request) {
    List<String> scopes = request.scopes().stream().distinct().toList();
    mayGrant(caller, scopes);
    Instant now = Times.now(clock);
    Instant expiresAt = expiry(request, now);
    ApiKeys.NewKey secret = ApiKeys.generate();
    ApiKeyRow row = new ApiKeyRow(
        Ids.newId(), caller.company().value(), caller.userId(), request.name(), secret.prefix(), secret.hash(),
        json.writeValueAsString(scopes), ApiKeyRow.ACTIVE, now, expiresAt, null, null, null);
    keys.insert(caller.company(), row);
    ApiKeyView view = view(row, now);
    audit.record(caller, "api_key.create", "api_key", row.id(), null, view);
    return new IssuedKey(secret.key(), view);
  }

  @GetMapping
  @Requires(Permission.KEYS_MANAGE)
  public ApiKeyList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Instant now = clock.instant();
    Page<ApiKeyRow> page = keys.list(caller.company(), cursor, limit);
    return new ApiKeyList(page.items().stream().map(k -> view(k, now)).toList(), page.nextCursor());
  }

  @GetMapping("/{keyId}")
  @Requires(Permission.KEYS_MANAGE)
  public ApiKeyView get(Caller caller, @PathVariable String keyId) {
    return view(find(caller, keyId), clock.instant());
  }

  /**
   * Immediately invalid; revoking a revoked key changes nothing and answers the same. An owner's key
   * is revoked only by its holder or an owner.
   */
  @PostMapping("/{keyId}/revoke")
  @Requires(Permission.KEYS_MANAGE)
  @Transactional
  public ApiKeyView revoke(Caller caller, @PathVariable String keyId) {
    ApiKeyRow before = find(caller, keyId);
    owners.requireMayChangeKeyOf(caller, before.userId(), "revoke");
    Instant now = Times.now(clock);
    if (!keys.revoke(caller.company(), keyId, now)) {
      return view(before, now);
    }
    ApiKeyView after = view(find(caller, keyId), now);
    audit.record(caller, "api_key.revoke", "api_key", keyId, view(before, now), after);
    return after;
  }

  /**
   * A new secret for the same name, scopes, owner and expiry; the old key keeps working for the
   * configured grace period. Only an active key can be rotated, only by a caller that could have
   * created it, and an owner's key only by its holder or an owner.
   */
  @PostMapping("/{keyId}/rotate")
  @Requires(Permission.KEYS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  public RotatedKey rotate(Caller caller, @PathVariable String keyId) {
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

  private static Instant expiry(CreateKey request, Instant now) {
    if (request.expiresAt() != null && request.expiresInDays() != null) {
      throw ApiException.invalidField("expires_at", "cannot be combined with expires_in_days");
    }
    if (request.expiresInDays() != null) {
      return now.plus(Duration.ofDays(request.expiresInDays()));
    }
    if (request.expiresAt() != null) {
      if (!request.expiresAt().isAfter(now)) {
        throw ApiException.invalidField("expires_at", "must be in the future");
      }
      if (request.expiresAt().isAfter(now.plus(Duration.ofDays(MAX_EXPIRY_DAYS)))) {
        throw ApiException.invalidField("expires_at", "must be at most " + MAX_EXPIRY_DAYS + " days ahead");
      }
      return request.expiresAt().truncatedTo(ChronoUnit.MICROS);
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
