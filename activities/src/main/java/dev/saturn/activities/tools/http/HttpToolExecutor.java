package dev.saturn.activities.tools.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.tools.SealedHeaders;
import dev.saturn.activities.tools.ToolCallContext;
import dev.saturn.activities.tools.ToolCallResult;
import dev.saturn.activities.tools.ToolExecutor;
import dev.saturn.activities.tools.ToolsProperties;
import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.SsrfGuard;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
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
    return headers(company, tool).secretValues();
  }

  @Override
  public ToolCallResult execute(CompanyId company, ToolRow tool, JsonNode arguments, ToolCallContext context) {
    Map<String, String> headers = headers(company, tool).values();
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
  private SealedHeaders headers(CompanyId company, ToolRow tool) {
    return SealedHeaders.open(tool.headersJson(), company, tool.id(), secrets, "tool " + tool.name());
  }
}
