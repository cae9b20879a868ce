package dev.saturn.api.providers;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.Times;
import dev.saturn.db.providers.ProviderSettingsRepository;
import dev.saturn.db.providers.ProviderSettingsRow;
import dev.saturn.db.tools.ToolSecrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads and changes a company's provider settings; each change commits with its audit row. */
@Service
class ProviderSettings {

  /** The providers a company can configure: those with an endpoint (offline has none). */
  static final Set<String> CONFIGURABLE = Set.of("openai", "ollama");
  static final int MAX_URL = 2000;
  static final int MAX_KEY = 1000;
  static final int MAX_MODEL = 200;
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private final ProviderSettingsRepository settings;
  private final ToolSecrets secrets;
  private final SsrfGuard guard;
  private final AuditTrail audit;
  private final TransactionTemplate transaction;
  private final Clock clock;

  ProviderSettings(ProviderSettingsRepository settings, ToolSecrets secrets, SsrfGuard guard, AuditTrail audit,
      TransactionTemplate transaction, Clock clock) {
    this.settings = settings;
    this.secrets = secrets;
    this.guard = guard;
    this.audit = audit;
    this.transaction = transaction;
    this.clock = clock;
  }

  List<ProviderView> list(Caller caller) {
    return settings.list(caller.company()).stream().map(ProviderSettings::view).toList();
  }

  ProviderView get(Caller caller, String provider) {
    return settings.find(caller.company(), configurable(provider)).map(ProviderSettings::view)
        .orElseThrow(() -> notFound(provider));
  }

  ProviderView put(Caller caller, String provider, PutProvider request) {
    // The body first, so a bad body answers the same whatever the path names.
    Valid valid = validate(request);
    String name = configurable(provider);
    return transaction.execute(status -> {
      ProviderSettingsRow stored = settings.findForUpdate(caller.company(), name).orElse(null);
      Instant now = Times.now(clock);
      String sealed;
      if (valid.apiKey() == null) {
        boolean sameServer = stored != null && Objects.equals(stored.baseUrl(), valid.baseUrl());
        sealed = sameServer ? stored.apiKeySealed() : null;
      } else if (valid.apiKey().isEmpty()) {
        sealed = null;
      } else {
        sealed = secrets.encrypt(valid.apiKey(), caller.company().value(), ProviderSettingsRow.SECRET_OWNER + name,
            ProviderSettingsRow.SECRET_NAME);
      }
      ProviderSettingsRow row = new ProviderSettingsRow(caller.company().value(), name, valid.baseUrl(), sealed,
          valid.defaultModel(), stored == null ? now : stored.createdAt(), now);
      settings.put(caller.company(), row);
      ProviderView after = view(row);
      audit.record(caller, "provider.put", "provider", name, stored == null ? null : view(stored), after);
      return after;
    });
  }

  void delete(Caller caller, String provider) {
    String name = configurable(provider);
    transaction.executeWithoutResult(status -> {
      ProviderSettingsRow stored = settings.findForUpdate(caller.company(), name).orElseThrow(() -> notFound(provider));
      settings.delete(caller.company(), name);
      audit.record(caller, "provider.delete", "provider", name, view(stored), null);
    });
  }

  private record Valid(String baseUrl, String apiKey, String defaultModel) {}

  private Valid validate(PutProvider request) {
    if (request.baseUrl() == null && request.apiKey() == null && request.defaultModel() == null) {
      throw ApiException.validation("Set at least one of base_url, api_key, default_model; "
          + "DELETE the provider to fall back to the server's settings entirely");
    }
    List<FieldError> errors = new ArrayList<>();
    String baseUrl = request.baseUrl() == null ? null : request.baseUrl().strip();
    if (baseUrl != null) {
      errors.addAll(checkUrl(baseUrl));
    }
    String apiKey = request.apiKey() == null ? null : request.apiKey().strip();
    if (apiKey != null && (apiKey.length() > MAX_KEY || CONTROL.matcher(apiKey).find() || apiKey.contains(" "))) {
      errors.add(new FieldError("api_key", "must be at most " + MAX_KEY + " characters without spaces or control characters"));
    }
    String model = request.defaultModel() == null ? null : request.defaultModel().strip();
    if (model != null && (model.isEmpty() || model.length() > MAX_MODEL || CONTROL.matcher(model).find())) {
      errors.add(new FieldError("default_model", "must be 1 to " + MAX_MODEL + " characters without control characters"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation("Invalid provider settings", errors);
    }
    return new Valid(baseUrl, apiKey, model);
  }

  /** An absolute http(s) URL without credentials, query or fragment, to a target the SSRF guard allows. */
  private List<FieldError> checkUrl(String baseUrl) {
    if (baseUrl.length() > MAX_URL) {
      return List.of(new FieldError("base_url", "must be at most " + MAX_URL + " characters"));
    }
    URI uri;
    try {
      uri = new URI(baseUrl);
    } catch (URISyntaxException e) {
      return List.of(new FieldError("base_url", "is not a valid URL: " + e.getReason()));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      return List.of(new FieldError("base_url", "must be an absolute http or https URL with a host"));
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return List.of(new FieldError("base_url", "must not carry credentials, a query or a fragment; send the key as api_key"));
    }
    return guard.refusalWithoutLookup(uri).map(refusal -> List.of(new FieldError("base_url", "is refused: " + refusal)))
        .orElse(List.of());
  }

  /** The provider's canonical name; 404 for one a company cannot configure, as for one without settings. */
  private static String configurable(String provider) {
    String name = provider.toLowerCase(Locale.ROOT);
    if (!CONFIGURABLE.contains(name)) {
      throw notFound(provider);
    }
    return name;
  }

  private static ApiException notFound(String provider) {
    return ApiException.notFound("provider settings " + provider);
  }

  private static ProviderView view(ProviderSettingsRow row) {
    return new ProviderView(row.provider(), row.baseUrl(), row.hasApiKey(), row.defaultModel(), row.createdAt(),
        row.updatedAt());
  }
}
