package dev.saturn.api.tools;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.tools.ToolRepository;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.workflows.common.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test call of one of the company's tools: runs it once ({@link ToolTestRunner}: schema check, the
 * tool's executor and so the SSRF guard) and audits it as {@code tool.test} with its outcome (not the
 * body). The answer's body is cut to {@link #SHOWN_CHARS} characters.
 */
@Service
class ToolTests {

  static final int SHOWN_CHARS = 4000;

  /** @param truncated whether {@code body} was cut */
  record Result(String status, Integer httpStatus, String body, boolean truncated, String failure, long durationMs) {}

  private final ToolRepository tools;
  private final ObjectProvider<ToolTestRunner> runner;
  private final AuditTrail audit;
  private final JsonMapper json;

  ToolTests(ToolRepository tools, ObjectProvider<ToolTestRunner> runner, AuditTrail audit, JsonMapper json) {
    this.tools = tools;
    this.runner = runner;
    this.audit = audit;
    this.json = json;
  }

  Result run(Caller caller, String toolId, JsonNode arguments) {
    ToolRow tool = tools.find(caller.company(), toolId).orElseThrow(() -> ApiException.notFound("tool " + toolId));
    ToolTestRunner available = runner.getIfAvailable();
    if (available == null) {
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "This process cannot run tools; try again on one that can");
    }
    ToolTestRunner.Outcome outcome = available.run(caller.company(), tool, json.writeValueAsString(arguments));
    Map<String, Object> recorded = new LinkedHashMap<>();
    recorded.put("status", outcome.status());
    recorded.put("http_status", outcome.httpStatus());
    recorded.put("duration_ms", outcome.durationMs());
    audit.record(caller, "tool.test", "tool", toolId, null, recorded);
    String body = outcome.body();
    boolean truncated = body != null && body.length() > SHOWN_CHARS;
    return new Result(outcome.status(), outcome.httpStatus(), truncated ? body.substring(0, SHOWN_CHARS) : body,
        truncated, outcome.failure(), outcome.durationMs());
  }
}
