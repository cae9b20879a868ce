package dev.saturn.api.providers;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

@ApiController
@RequestMapping("/v1/providers")
class ProviderController {

  private final ProviderSettings settings;

  ProviderController(ProviderSettings settings) {
    this.settings = settings;
  }

  record ProviderList(List<ProviderView> items) {}

  @GetMapping
  @Requires(Permission.PROVIDERS_MANAGE)
  @Operation(summary = "List the company's own provider settings (keys are never returned)")
  public ProviderList list(Caller caller) {
    return new ProviderList(settings.list(caller));
  }

  @GetMapping("/{provider}")
  @Requires(Permission.PROVIDERS_MANAGE)
  @Operation(summary = "Get the company's settings for one provider (the key is never returned)")
  public ProviderView get(Caller caller, @PathVariable String provider) {
    return settings.get(caller, provider);
  }

  @PutMapping("/{provider}")
  @Requires(Permission.PROVIDERS_MANAGE)
  @Operation(summary = "Set the company's own base URL, API key and default model for openai or ollama")
  public ProviderView put(Caller caller, @PathVariable String provider, @RequestBody PutProvider request) {
    return settings.put(caller, provider, request);
  }

  @DeleteMapping("/{provider}")
  @Requires(Permission.PROVIDERS_MANAGE)
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Delete the company's settings for a provider (its agents use the server's again)")
  public void delete(Caller caller, @PathVariable String provider) {
    settings.delete(caller, provider);
  }
}
