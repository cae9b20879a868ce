package dev.saturn.api.tools;

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

  /** Exactly one of {@code plain}, {@code secret} (a new plaintext) and {@code sealed} (a kept ciphertext) is set. */
  record Header(String name, String plain, String secret, String sealed) {
    boolean isSecret() {
      return plain == null;
    }
  }
}
