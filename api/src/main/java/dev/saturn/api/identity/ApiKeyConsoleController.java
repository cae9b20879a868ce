package dev.saturn.api.identity;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.console.ConsoleNotices;
import dev.saturn.api.identity.ApiKeyService.ApiKeyView;
import dev.saturn.api.web.ApiException;
import java.util.List;
import java.util.TreeSet;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's API keys page, on the same {@link ApiKeyService} (rules, audit rows) as
 * {@code /v1/api-keys}. A new or rotated key's secret is rendered into the answer to the POST that
 * made it and nowhere else: it is never put into the session, a redirect or a later page.
 */
@ConsoleController
class ApiKeyConsoleController {

  static final String PATH = ConsoleController.ROOT + "/api-keys";
  private static final int PAGE = 200;
  static final List<String> SCOPES = List.copyOf(new TreeSet<>(KeyScopes.SCOPES.keySet()));

  private final ApiKeyService keys;

  ApiKeyConsoleController(ApiKeyService keys) {
    this.keys = keys;
  }

  @GetMapping(PATH)
  @Requires(Permission.KEYS_MANAGE)
  String list(Caller caller, Model model) {
    return listPage(caller, model, "", List.of(), null);
  }

  @PostMapping(PATH)
  @Requires(Permission.KEYS_MANAGE)
  String create(
      Caller caller,
      @RequestParam(defaultValue = "") String name,
      @RequestParam(required = false) List<String> scopes,
      Model model) {
    List<String> chosen = scopes == null ? List.of() : scopes;
    String problem = name.isBlank() ? "Give the key a name."
        : name.length() > 200 ? "The name is at most 200 characters."
        : chosen.isEmpty() ? "Choose at least one scope." : null;
    if (problem != null) {
      return listPage(caller, model, name, chosen, problem);
    }
    try {
      ApiKeyService.IssuedKey issued = keys.create(caller, name.strip(), chosen, null, null);
      return secretPage(model, issued.apiKey(), issued.key(), null);
    } catch (ApiException refused) {
      return listPage(caller, model, name, chosen, refused.detail());
    }
  }

  @PostMapping(PATH + "/{keyId}/rotate")
  @Requires(Permission.KEYS_MANAGE)
  String rotate(Caller caller, @PathVariable String keyId, Model model, RedirectAttributes redirect) {
    try {
      ApiKeyService.RotatedKey rotated = keys.rotate(caller, keyId);
      return secretPage(model, rotated.apiKey(), rotated.key(), rotated.previous());
    } catch (ApiException refused) {
      return ConsoleNotices.redirectRefused(redirect, PATH, refused);
    }
  }

  /** The confirm step of a revocation (a page of its own, so it works without JavaScript). */
  @GetMapping(PATH + "/{keyId}/revoke")
  @Requires(Permission.KEYS_MANAGE)
  String confirmRevoke(Caller caller, @PathVariable String keyId, Model model, RedirectAttributes redirect) {
    try {
      model.addAttribute("key", keys.get(caller, keyId));
      return "console/api-key-revoke";
    } catch (ApiException refused) {
      return ConsoleNotices.redirectRefused(redirect, PATH, refused);
    }
  }

  @PostMapping(PATH + "/{keyId}/revoke")
  @Requires(Permission.KEYS_MANAGE)
  String revoke(Caller caller, @PathVariable String keyId, RedirectAttributes redirect) {
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> {
      ApiKeyView revoked = keys.revoke(caller, keyId);
      return "API key " + revoked.name() + " (" + revoked.prefix() + ") revoked.";
    });
  }

  private String listPage(Caller caller, Model model, String name, List<String> chosen, String problem) {
    model.addAttribute("keys", keys.list(caller, null, PAGE).items());
    model.addAttribute("scopes", SCOPES);
    model.addAttribute("name", name);
    model.addAttribute("chosen", chosen);
    model.addAttribute("problem", problem);
    return "console/api-keys";
  }

  private static String secretPage(Model model, String secret, ApiKeyView key, ApiKeyView previous) {
    model.addAttribute("secret", secret);
    model.addAttribute("key", key);
    model.addAttribute("previous", previous);
    return "console/api-key-secret";
  }
}
