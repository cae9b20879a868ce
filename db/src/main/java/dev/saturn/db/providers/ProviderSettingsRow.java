package dev.saturn.db.providers;

import java.time.Instant;

/**
 * One company's settings for one provider; null fields fall back to the server's.
 *
 * @param apiKeySealed the key sealed with {@link dev.saturn.db.tools.ToolSecrets} for
 *     ({@code companyId}, {@link #SECRET_OWNER} + provider, {@link #SECRET_NAME}); never the key
 */
public record ProviderSettingsRow(
    String companyId, String provider, String baseUrl, String apiKeySealed, String defaultModel,
    Instant createdAt, Instant updatedAt) {

  /** Where the sealed key is bound to, so it does not decrypt on another row. */
  public static final String SECRET_OWNER = "provider:";
  public static final String SECRET_NAME = "api_key";

  public boolean hasApiKey() {
    return apiKeySealed != null;
  }
}
