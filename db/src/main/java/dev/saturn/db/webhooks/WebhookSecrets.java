package dev.saturn.db.webhooks;

import dev.saturn.db.tools.ToolSecrets;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Seals webhook signing secrets at rest with the tool-secret key (AES-256-GCM, {@link ToolSecrets}):
 * a sealed secret is bound to its company and endpoint, so one copied to another row does not
 * open. The API seals a secret it has just shown once; the worker opens it to sign.
 */
@Component
public class WebhookSecrets {

  private static final String PURPOSE = "webhook-signing-secret";

  private final ToolSecrets sealing;

  public WebhookSecrets(ToolSecrets sealing) {
    this.sealing = sealing;
  }

  public String seal(String secret, String companyId, String endpointId) {
    return sealing.encrypt(secret, companyId, endpointId, PURPOSE);
  }

  /** @throws IllegalStateException when the value was not sealed with this key for this endpoint */
  public String open(String sealed, String companyId, String endpointId) {
    return sealing.decrypt(sealed, companyId, endpointId, PURPOSE);
  }

  public List<String> openAll(List<String> sealed, String companyId, String endpointId) {
    return sealed.stream().map(s -> open(s, companyId, endpointId)).toList();
  }
}
