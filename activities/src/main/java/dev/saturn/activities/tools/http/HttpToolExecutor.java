package dev.saturn.activities.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.tools.ToolCallContext;
import dev.saturn.activities.tools.ToolCallResult;
import dev.saturn.activities.tools.ToolExecutor;
import dev.saturn.activities.tools.ToolsProperties;
import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Redaction;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Tools of kind {@code http}: the row's method and URL template, its headers with secret values
 * decrypted now, at execution time (they never leave the call), sent by {@link HttpToolClient}.
 */
@Component
public class HttpToolExecutor implements ToolExecutor {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "PUT", "DELETE");

  private final HttpToolClient client;
  private final ToolSecrets secrets;

  @Autowired
  HttpToolExecutor(SsrfGuard guard, ToolSecrets secrets, ToolsProperties properties, HttpClientSpans spans) {
    this(new HttpToolClient(guard, properties.maxRedirects(), spans), secrets);
  }

  /** With a client of the caller's (tests play DNS through its guard). */
  public HttpToolExecutor(HttpToolClient client, ToolSecrets secrets) {
    this.client = client;
    this.secrets = secrets;
  }

  @Override
  public String kind() {
    return ToolRow.HTTP;
  }

  /** Declared idempotent, or a method that HTTP defines as idempotent. */
  @Override
  public boolean idempotent(ToolRow tool) {
    return tool.idempotent() || IDEMPOTENT_METHODS.contains(tool.method());
  }

  /** Why the arguments cannot fill the URL's path (a "..", a "/"). */
  @Override
  public String problems(ToolRow tool, JsonNode arguments) {
    return UrlTemplate.problems(tool.urlTemplate(), arguments);
  }

  @Override
  public List<String> secretValues(CompanyId company, ToolRow tool) {
    return secretHeaderValues(tool, headers(company, tool));
  }

  @Override
  public ToolCallResult execute(CompanyId company, ToolRow tool, JsonNode arguments, ToolCallContext context) {
    Map<String, String> headers = headers(company, tool);
    long started = System.nanoTime();
    HttpToolClient.Response response = client.call(new HttpToolClient.Call(
        tool.method(), tool.urlTemplate(), headers, arguments, Math.toIntExact(context.timeout().toMillis()),
        context.idempotencyKey(), context.maxResponseBytes()));
    long durationMs = (System.nanoTime() - started) / 1_000_000;
    ToolCallResult.Status status = response.ok()
        ? ToolCallResult.Status.OK
        : response.refused() ? ToolCallResult.Status.REFUSED : ToolCallResult.Status.FAILED;
    return new ToolCallResult(
        status, response.status(), response.body(), response.failure(), response.transientFailure(), durationMs);
  }

  /** The tool's headers, secret values decrypted. */
  private Map<String, String> headers(CompanyId company, ToolRow tool) {
    Map<String, String> headers = new LinkedHashMap<>();
    try {
      JSON.readTree(tool.headersJson()).fields().forEachRemaining(e -> {
        JsonNode value = e.getValue();
        if (value.isTextual()) {
          headers.put(e.getKey(), value.asText());
        } else if (value.has("encrypted")) {
          headers.put(e.getKey(), secrets.decrypt(value.get("encrypted").asText(), company.value(), tool.id(), e.getKey()));
        }
      });
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("tool headers are not JSON", ErrorCode.INTERNAL_ERROR.name());
    } catch (IllegalStateException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a secret header of tool " + tool.name() + " does not decrypt with this process's key", ErrorCode.TOOL_EXECUTION_FAILED.name());
    }
    return headers;
  }

  /** Values of sealed headers and of headers whose name says secret. */
  private static List<String> secretHeaderValues(ToolRow tool, Map<String, String> headers) {
    List<String> values = new ArrayList<>();
    try {
      JSON.readTree(tool.headersJson()).fields().forEachRemaining(e -> {
        if (!e.getValue().isTextual() || Redaction.isSecretKey(e.getKey())) {
          String value = headers.get(e.getKey());
          if (value != null) {
            values.add(value);
            // "Bearer abc": the token alone is as secret as the whole value.
            int space = value.indexOf(' ');
            if (space > 0 && space < value.length() - 1) {
              values.add(value.substring(space + 1));
            }
          }
        }
      });
    } catch (IOException e) {
      // headers() already failed on this
    }
    return values;
  }
}
