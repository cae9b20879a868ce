package dev.saturn.activities.llm;

import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.providers.ProviderSettingsRepository;
import dev.saturn.db.providers.ProviderSettingsRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Which endpoint a company's model call goes to: the company's own settings for the provider first
 * ({@code PUT /v1/providers/{name}}), field by field, the server's otherwise. The server's key is
 * never sent to a company's base URL. A company's base URL passes the SSRF guard here, on every
 * attempt, although the API checked it when it was stored: what a name resolves to may have changed.
 */
@Component
public class CompanyProviders {

  private final ProviderSettingsRepository settings;
  private final ToolSecrets secrets;
  private final SsrfGuard guard;
  private final LlmProperties server;

  public CompanyProviders(ProviderSettingsRepository settings, ToolSecrets secrets, SsrfGuard guard, LlmProperties server) {
    this.settings = settings;
    this.secrets = secrets;
    this.guard = guard;
    this.server = server;
  }

  /**
   * @return the company's endpoint for {@code provider}, or {@code null} when it has no settings of
   *     its own (the provider then uses the server's)
   * @throws ApplicationFailure non-retryable {@code LLM_PROVIDER_ERROR} when the company's base URL is
   *     refused by the guard or its stored key does not decrypt
   */
  public ProviderEndpoint endpoint(CompanyId company, String provider) {
    String name = provider.toLowerCase(Locale.ROOT);
    if (!name.equals(OpenAiChatProvider.NAME) && !name.equals(OllamaChatProvider.NAME)) {
      return null; // only these two can be configured (PUT /v1/providers/{name}); no query for the rest
    }
    ProviderSettingsRow row = settings.find(company, name).orElse(null);
    if (row == null) {
      return null;
    }
    String apiKey;
    if (row.hasApiKey()) {
      try {
        apiKey = secrets.decrypt(row.apiKeySealed(), company.value(), ProviderSettingsRow.SECRET_OWNER + name,
            ProviderSettingsRow.SECRET_NAME);
      } catch (IllegalStateException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "The company's " + name + " API key does not decrypt with this worker's secret key; store it again",
            ErrorCode.LLM_PROVIDER_ERROR.name());
      }
    } else {
      apiKey = row.baseUrl() == null ? serverKey(name) : "";
    }
    String baseUrl = row.baseUrl() == null ? serverBaseUrl(name) : checked(name, row.baseUrl());
    return new ProviderEndpoint(baseUrl, apiKey, row.defaultModel());
  }

  private String checked(String provider, String baseUrl) {
    URI url;
    try {
      url = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      throw refused(provider, "it is not a URL");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      throw refused(provider, "only http(s) URLs with a host are allowed");
    }
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    try {
      guard.check(url.getHost(), port);
    } catch (SsrfGuard.RefusedTarget e) {
      throw refused(provider, e.getMessage());
    }
    return baseUrl;
  }

  private static ApplicationFailure refused(String provider, String why) {
    return ApplicationFailure.newNonRetryableFailure(
        "The company's " + provider + " base URL is refused: " + why, ErrorCode.LLM_PROVIDER_ERROR.name());
  }

  private String serverBaseUrl(String provider) {
    return switch (provider) {
      case OllamaChatProvider.NAME -> server.ollama().baseUrl();
      default -> server.openai().baseUrl();
    };
  }

  private String serverKey(String provider) {
    return provider.equals(OpenAiChatProvider.NAME) ? server.openai().apiKey() : "";
  }
}
