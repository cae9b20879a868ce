package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Redaction;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Headers as tools and MCP servers store them (a name maps to a plain string or to
 * {@code {"encrypted": "..."}}), opened at call time: secret values are decrypted here and never
 * leave the call, and which values are secret is known for redaction.
 *
 * @param values every header, secret values decrypted
 * @param secretValues the values of sealed headers and of headers whose name says secret (and of
 *     {@code "Bearer abc"} also {@code abc}), which everything stored about a call is redacted of
 */
public record SealedHeaders(Map<String, String> values, List<String> secretValues) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param ownerId the id the ciphertexts are bound to (the tool's, or the MCP server's)
   * @param ownerName named in the failure when a secret does not decrypt
   * @throws ApplicationFailure non-retryable when the headers are not JSON or a secret does not
   *     decrypt with this process's key
   */
  public static SealedHeaders open(
      String headersJson, CompanyId company, String ownerId, ToolSecrets secrets, String ownerName) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> secretValues = new ArrayList<>();
    try {
      JSON.readTree(headersJson).fields().forEachRemaining(e -> {
        JsonNode value = e.getValue();
        String text;
        if (value.isTextual()) {
          text = value.asText();
        } else if (value.has("encrypted")) {
          text = secrets.decrypt(value.get("encrypted").asText(), company.value(), ownerId, e.getKey());
        } else {
          return;
        }
        values.put(e.getKey(), text);
        if (!value.isTextual() || Redaction.isSecretKey(e.getKey())) {
          secretValues.add(text);
          // "Bearer abc": the token alone is as secret as the whole value.
          int space = text.indexOf(' ');
          if (space > 0 && space < text.length() - 1) {
            secretValues.add(text.substring(space + 1));
          }
        }
      });
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("headers of " + ownerName + " are not JSON", ErrorCode.INTERNAL_ERROR.name());
    } catch (IllegalStateException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a secret header of " + ownerName + " does not decrypt with this process's key", ErrorCode.TOOL_EXECUTION_FAILED.name());
    }
    return new SealedHeaders(Map.copyOf(values), List.copyOf(secretValues));
  }
}
