package dev.saturn.api.identity;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.ApiKeyService.ApiKeyView;
import dev.saturn.api.identity.ApiKeyService.IssuedKey;
import dev.saturn.api.identity.ApiKeyService.RotatedKey;
import dev.saturn.db.common.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * A company's API keys over REST ({@link ApiKeyService}): create (the secret is shown once), list,
 * read, revoke, rotate with a grace period.
 */
@ApiController
@RequestMapping("/v1/api-keys")
@Validated
class ApiKeyController {

  private final ApiKeyService keys;

  ApiKeyController(ApiKeyService keys) {
    this.keys = keys;
  }

  record CreateKey(
      @NotBlank @Size(max = 200) String name,
      @NotNull @Size(min = 1, max = 20) List<@NotBlank String> scopes,
      Instant expiresAt,
      @Min(1) @Max(ApiKeyService.MAX_EXPIRY_DAYS) Integer expiresInDays) {}

  record ApiKeyList(List<ApiKeyView> items, String nextCursor) {}

  @PostMapping
  @Requires(Permission.KEYS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  public IssuedKey create(Caller caller, @Valid @RequestBody CreateKey request) {
    return keys.create(caller, request.name(), request.scopes(), request.expiresAt(), request.expiresInDays());
  }

  @GetMapping
  @Requires(Permission.KEYS_MANAGE)
  public ApiKeyList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<ApiKeyView> page = keys.list(caller, cursor, limit);
    return new ApiKeyList(page.items(), page.nextCursor());
  }

  @GetMapping("/{keyId}")
  @Requires(Permission.KEYS_MANAGE)
  public ApiKeyView get(Caller caller, @PathVariable String keyId) {
    return keys.get(caller, keyId);
  }

  /**
   * Immediately invalid; revoking a revoked key changes nothing and answers the same. An owner's key
   * is revoked only by its holder or an owner.
   */
  @PostMapping("/{keyId}/revoke")
  @Requires(Permission.KEYS_MANAGE)
  public ApiKeyView revoke(Caller caller, @PathVariable String keyId) {
    return keys.revoke(caller, keyId);
  }

  /**
   * A new secret for the same name, scopes, owner and expiry; the old key keeps working for the
   * configured grace period. Only an active key can be rotated, only by a caller that could have
   * created it, and an owner's key only by its holder or an owner.
   */
  @PostMapping("/{keyId}/rotate")
  @Requires(Permission.KEYS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  public RotatedKey rotate(Caller caller, @PathVariable String keyId) {
    return keys.rotate(caller, keyId);
  }
}
