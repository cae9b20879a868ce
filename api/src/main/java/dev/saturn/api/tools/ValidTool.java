package dev.saturn.api.tools;

import java.util.Collection;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A tool definition that passed {@link ToolDefinitions}, defaults filled in, secrets not yet sealed. */
record ValidTool(
    String name,
    String description,
    String method,
    String url,
    List<Header> headers,
    JsonNode parameters,
    int timeoutMs,
    boolean requiresApproval,
    Integer approvalTimeoutSeconds,
    boolean idempotent) {

  /** The secret headers kept from the stored tool (sent as {@code {"secret": true}} or not sent), not given anew. */
  List<String> keptSecrets() {
    return headers.stream().filter(h -> h.sealed() != null).map(Header::name).toList();
  }

  ValidTool withoutHeaders(Collection<String> names) {
    return new ValidTool(name, description, method, url,
        headers.stream().filter(h -> !names.contains(h.name())).toList(), parameters, timeoutMs, requiresApproval,
        approvalTimeoutSeconds, idempotent);
  }

  /** Exactly one of {@code plain}, {@code secret} (a new plaintext) and {@code sealed} (a kept ciphertext) is set. */
  record Header(String name, String plain, String secret, String sealed) {
    boolean isSecret() {
      return plain == null;
    }
  }
}
