package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.chat.TurnJournal;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Ids;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.tools.ToolSecrets;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Redaction;
import dev.saturn.workflows.tools.ApprovalClosure;
import dev.saturn.workflows.tools.ToolActivities;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRecord;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import dev.saturn.workflows.tools.ToolOutcomeInput;
import dev.saturn.workflows.tools.ToolResultsInput;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tool activities. A call is looked up by name among the tools of the turn's pinned agent
 * version; everything it writes (approval row, usage event, audit row, messages, events) is keyed
 * by the turn and the call id, so a retry finds its first attempt's rows.
 */
@Component
public class ToolActivitiesImpl implements ToolActivities {

  private static final Logger log = LoggerFactory.getLogger(ToolActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "PUT", "DELETE");
  private static final int MAX_ERROR_EXCERPT = 500;
  private static final int MAX_AUDITED_RESULT = 4000;

  private final TurnRepository turns;
  private final ToolCatalog catalog;
  private final ToolSecrets secrets;
  private final ToolApprovalRepository approvals;
  private final MessageRepository messages;
  private final UsageEventRepository usage;
  private final AuditLogRepository audit;
  private final TurnJournal journal;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final ToolsProperties properties;
  private final HttpToolExecutor executor;
  private final BusinessMetrics metrics;
  private final ToolArguments arguments = new ToolArguments();

  @Autowired
  ToolActivitiesImpl(
      TurnRepository turns, ToolCatalog catalog, ToolSecrets secrets, ToolApprovalRepository approvals,
      MessageRepository messages, UsageEventRepository usage, AuditLogRepository audit, TurnJournal journal,
      TransactionTemplate transaction, Clock clock, ToolsProperties properties, BusinessMetrics metrics) {
    this(turns, catalog, secrets, approvals, messages, usage, audit, journal, transaction, clock, properties,
        new HttpToolExecutor(new SsrfGuard(properties.allowedHosts()), properties.maxResponseBytes(), properties.maxRedirects()),
        metrics);
  }

  /** With an executor of the caller's (tests play DNS through its guard). */
  public ToolActivitiesImpl(
      TurnRepository turns, ToolCatalog catalog, ToolSecrets secrets, ToolApprovalRepository approvals,
      MessageRepository messages, UsageEventRepository usage, AuditLogRepository audit, TurnJournal journal,
      TransactionTemplate transaction, Clock clock, ToolsProperties properties, HttpToolExecutor executor,
      BusinessMetrics metrics) {
    this.turns = turns;
    this.catalog = catalog;
    this.secrets = secrets;
    this.approvals = approvals;
    this.messages = messages;
    this.usage = usage;
    this.audit = audit;
    this.journal = journal;
    this.transaction = transaction;
    this.clock = clock;
    this.properties = properties;
    this.executor = executor;
    this.metrics = metrics;
  }

  @Override
  public ToolCheck checkToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return ToolCheck.invalid("tool '" + in.toolName() + "' no longer exists");
    }
    String problems = arguments.problems(tool.parametersJson(), in.arguments());
    if (problems == null) {
      problems = pathProblems(tool, in.arguments());
    }
    if (problems != null) {
      return ToolCheck.invalid(problems);
    }
    boolean idempotent = tool.idempotent() || IDEMPOTENT_METHODS.contains(tool.method());
    long timeout = tool.approvalTimeoutSeconds() != null
        ? tool.approvalTimeoutSeconds()
        : properties.approvalTimeout().toSeconds();
    if (tool.requiresApproval()) {
      Instant now = clock.instant();
      String redacted = JsonRedactor.redact(in.arguments(), ToolCatalog.secretFields(tool));
      transaction.executeWithoutResult(status -> {
        approvals.insertPendingOnce(company, new ToolApprovalRow(
            company.value(), in.turnId(), in.callId(), in.agentId(), in.sessionId(), tool.id(), tool.name(), redacted,
            ToolApprovalRow.PENDING, now, now.plus(Duration.ofSeconds(timeout)), null, null, null));
        journal.append(company, in.turnId(), "call:" + in.callId() + ":awaiting_approval", "tool_call_awaiting_approval",
            journal.data().put("call_id", in.callId()).put("tool", tool.name()).put("arguments", redacted)
                .put("expires_at", now.plus(Duration.ofSeconds(timeout)).toString()));
      });
    }
    return new ToolCheck(true, null, tool.requiresApproval(), timeout, idempotent);
  }

  @Override
  public ToolCallRef runToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    Optional<MessageRow> stored = messages.findToolResult(company, in.turnId(), in.callId());
    if (stored.isPresent()) {
      // An attempt whose completion was lost had stored the result: never run the call twice.
      return ToolResults.refOf(stored.get());
    }
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return storeOutcome(company, in.sessionId(), in.turnId(), in.step(), missing(in), null);
    }
    Ran ran = run(company, in, tool);
    if (ran.retryable()) {
      // The attempt failed and Temporal runs another: record it now, as well as the database lets us.
      try {
        transaction.executeWithoutResult(status -> record(company, in, ran.execution(), ran.redactedArgs(), ran.outcome()));
      } catch (RuntimeException e) {
        log.warn("tool call attempt not recorded: tool={} call_id={} ({})", tool.name(), in.callId(), e.toString());
      }
      throw ran.retry();
    }
    return storeRan(company, in, ran);
  }

  /**
   * Stores what the tool answered, alone in one small transaction, before anything else can fail
   * the activity. If the database refuses, the result goes back to the workflow in the reference
   * (at most {@code max-response-bytes}) and is stored from there: the side effect has happened,
   * so the model must see it.
   */
  private ToolCallRef storeRan(CompanyId company, ToolCallInput in, Ran ran) {
    ToolOutcome outcome = ran.outcome();
    try {
      return storeOutcome(company, in.sessionId(), in.turnId(), in.step(), outcome, ran.execution());
    } catch (RuntimeException e) {
      log.warn("tool result not stored, handing it to the workflow: tool={} call_id={} ({})",
          in.toolName(), in.callId(), e.toString());
      return new ToolCallRef(outcome.callId(), outcome.toolName(), outcome.ok(), outcome.errorCode(),
          ToolResults.bytes(outcome.content()), ran.execution(), outcome.content() == null ? "" : outcome.content());
    }
  }

  @Override
  public ToolCallRef storeToolOutcome(ToolOutcomeInput in) {
    return storeOutcome(CompanyId.of(in.companyId()), in.sessionId(), in.turnId(), in.step(), in.outcome(), in.execution());
  }

  /** The tool message (first one wins) and its result event, in one transaction. */
  private ToolCallRef storeOutcome(
      CompanyId company, String sessionId, String turnId, int step, ToolOutcome outcome, ToolExecution execution) {
    return transaction.execute(status -> {
      boolean first = messages.findToolResult(company, turnId, outcome.callId()).isEmpty();
      MessageRow row = messages.insertToolResultOnce(company, sessionId, turnId, outcome.callId(), outcome.toolName(),
          outcome.content() == null ? "" : outcome.content(), ToolResults.json(outcome, execution));
      ToolCallRef ref = ToolResults.refOf(row);
      resultEvent(company, turnId, step, ref);
      if (first) {
        // Every tool today is an HTTP tool; a call without an execution never reached one.
        metrics.toolCallStored(execution == null ? BusinessMetrics.NONE : "http", ref.ok() ? null : ref.errorCode());
      }
      return ref;
    });
  }

  private void resultEvent(CompanyId company, String turnId, int step, ToolCallRef ref) {
    ObjectNode data = journal.data().put("step", step).put("call_id", ref.callId())
        .put("tool", ref.toolName()).put("ok", ref.ok());
    if (ref.errorCode() != null) {
      data.put("error_code", ref.errorCode());
    }
    journal.append(company, turnId, "call:" + ref.callId() + ":result", "tool_call_result", data);
  }

  @Override
  public void recordToolCall(ToolCallRecord in) {
    ToolCallInput call = in.call();
    CompanyId company = CompanyId.of(call.companyId());
    MessageRow result = messages.findToolResult(company, call.turnId(), call.callId())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "no stored result for tool call " + call.callId(), ErrorCode.NOT_FOUND.name()));
    ToolRow tool = tool(company, call);
    Set<String> secretFields = tool == null ? Set.of() : ToolCatalog.secretFields(tool);
    List<String> secretValues = tool == null ? List.of() : secretHeaderValuesOrNone(company, tool);
    String redactedArgs = JsonRedactor.redact(call.arguments(), secretFields, secretValues);
    ToolOutcome outcome = new ToolOutcome(call.callId(), result.toolName(), in.ok(), in.errorCode(), result.content());
    transaction.executeWithoutResult(status -> record(company, call, in.execution(), redactedArgs, outcome));
  }

  @Override
  public ToolOutcome executeToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return missing(in);
    }
    Ran ran = run(company, in, tool);
    transaction.executeWithoutResult(status -> record(company, in, ran.execution(), ran.redactedArgs(), ran.outcome()));
    if (ran.retryable()) {
      throw ran.retry();
    }
    return ran.outcome();
  }

  private static ToolOutcome missing(ToolCallInput in) {
    return ToolOutcome.error(in.callId(), in.toolName(), ErrorCode.TOOL_EXECUTION_FAILED.name(),
        "tool '" + in.toolName() + "' no longer exists");
  }

  /**
   * One attempt's HTTP call and what came of it, redacted. {@code retryable}: a transient failure
   * of an idempotent tool, which Temporal may retry; any other call's failure is its result.
   */
  private record Ran(ToolOutcome outcome, ToolExecution execution, String redactedArgs, boolean retryable, String failure) {
    ApplicationFailure retry() {
      // Retrying is safe only for idempotent tools; Temporal retries with backoff, then the
      // workflow tells the model TOOL_EXECUTION_FAILED.
      return ApplicationFailure.newFailure(
          "tool " + outcome.toolName() + " failed (" + failure + "); retrying", ErrorCode.TOOL_EXECUTION_FAILED.name());
    }
  }

  private Ran run(CompanyId company, ToolCallInput in, ToolRow tool) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    boolean idempotent = tool.idempotent() || IDEMPOTENT_METHODS.contains(tool.method());
    Set<String> secretFields = ToolCatalog.secretFields(tool);
    Map<String, String> headers = headers(company, tool);
    List<String> secretValues = secretHeaderValues(tool, headers);
    JsonNode args;
    try {
      args = JSON.readTree(in.arguments() == null || in.arguments().isBlank() ? "{}" : in.arguments());
    } catch (IOException e) {
      ToolOutcome invalid =
          ToolOutcome.error(in.callId(), tool.name(), ErrorCode.TOOL_SCHEMA_INVALID.name(), "arguments are not valid JSON");
      return new Ran(invalid, null, null, false, null);
    }

    long started = System.nanoTime();
    HttpToolExecutor.Response response = executor.call(new HttpToolExecutor.Call(
        tool.method(), tool.urlTemplate(), headers, args, tool.timeoutMs(),
        idempotencyKey(info.getWorkflowId(), in.callId())));
    long durationMs = (System.nanoTime() - started) / 1_000_000;

    String redactedArgs = JsonRedactor.redact(in.arguments(), secretFields, secretValues);
    String redactedBody = response.body() == null ? null : JsonRedactor.redact(response.body(), secretFields, secretValues);
    ToolOutcome outcome;
    String status;
    if (response.ok()) {
      outcome = new ToolOutcome(in.callId(), tool.name(), true, null, redactedBody);
      status = "ok";
    } else {
      String reason = response.failure() != null
          ? Redaction.redactValues(response.failure(), secretValues)
          : "the tool answered HTTP " + response.status() + excerpt(redactedBody);
      outcome = ToolOutcome.error(in.callId(), tool.name(), ErrorCode.TOOL_EXECUTION_FAILED.name(), reason);
      status = response.refused() ? "refused" : "failed";
    }
    log.info("tool call finished: tool={} call_id={} status={} http_status={} duration_ms={} attempt={}",
        tool.name(), in.callId(), status, response.status(), durationMs, info.getAttempt());
    ToolExecution execution =
        new ToolExecution(tool.id(), tool.method(), status, response.status(), durationMs, info.getAttempt());
    boolean retryable = !response.ok() && response.transientFailure() && idempotent;
    String failure = response.failure() != null ? response.failure() : "HTTP " + response.status();
    return new Ran(outcome, execution, redactedArgs, retryable, failure);
  }

  /** Usage (only for a call that got an answer), audit (every attempt) and the executed event; in the caller's transaction. */
  private void record(
      CompanyId company, ToolCallInput in, ToolExecution execution, String redactedArgs, ToolOutcome outcome) {
    if (execution == null) {
      return; // never sent (e.g. arguments that are not JSON): nothing ran, nothing to record
    }
    if (execution.answered()) {
      usage.recordOnce(company, new UsageEvent(
          Ids.newId(), company.value(), in.agentId(), in.sessionId(), in.turnId(), "tool_call", null, null,
          0, 0, 1, false, "turn:" + in.turnId() + ":tool:" + in.callId(), clock.instant()));
    }
    ObjectNode diff = JSON.createObjectNode();
    ObjectNode after = diff.putObject("after");
    after.put("turn_id", in.turnId()).put("call_id", in.callId()).put("tool", outcome.toolName())
        .put("method", execution.method()).put("status", execution.status()).put("duration_ms", execution.durationMs())
        .put("attempt", execution.attempt());
    if (execution.answered()) {
      after.put("http_status", execution.httpStatus());
    }
    after.put("arguments", redactedArgs);
    after.put("result", truncate(outcome.content(), MAX_AUDITED_RESULT));
    String auditId = UUID.nameUUIDFromBytes(
        ("tool.execute|" + in.turnId() + "|" + in.callId() + "|" + execution.attempt()).getBytes(StandardCharsets.UTF_8))
        .toString();
    DuplicateKeys.insertOnce(() -> {
      audit.append(company, new AuditEntry(
          auditId, company.value(), "agent", in.agentId(), "tool.execute", "tool", execution.toolId(), diff.toString(),
          null, clock.instant()));
      return 1;
    });
    journal.append(company, in.turnId(), "call:" + in.callId() + ":executed:" + execution.attempt(), "tool_call_executed",
        journal.data().put("call_id", in.callId()).put("tool", outcome.toolName()).put("status", execution.status())
            .put("http_status", execution.httpStatus()).put("duration_ms", execution.durationMs()));
  }

  @Override
  public void closeApproval(ApprovalClosure in) {
    CompanyId company = CompanyId.of(in.companyId());
    transaction.executeWithoutResult(status -> {
      Optional<ToolApprovalRow> pending = approvals.find(company, in.turnId(), in.callId());
      if (approvals.close(company, in.turnId(), in.callId(), in.outcome(), in.decidedBy(), Redaction.redactText(in.reason()))) {
        pending.ifPresent(row -> metrics.approvalClosed(in.outcome(), Duration.between(row.requestedAt(), clock.instant())));
      }
      String type = switch (in.outcome()) {
        case ApprovalClosure.APPROVED -> "tool_call_approved";
        case ApprovalClosure.DENIED -> "tool_call_denied";
        default -> "tool_call_approval_timed_out";
      };
      ObjectNode data = journal.data().put("call_id", in.callId());
      if (in.decidedBy() != null) {
        data.put("decided_by", in.decidedBy());
      }
      if (in.reason() != null) {
        data.put("reason", in.reason());
      }
      journal.append(company, in.turnId(), "call:" + in.callId() + ":" + in.outcome(), type, data);
    });
  }

  @Override
  public void saveToolResults(ToolResultsInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    transaction.executeWithoutResult(status -> {
      for (ToolOutcome outcome : in.outcomes()) {
        MessageRow row = messages.insertToolResultOnce(company, in.sessionId(), in.turnId(), outcome.callId(),
            outcome.toolName(), outcome.content() == null ? "" : outcome.content(), ToolResults.json(outcome, null));
        resultEvent(company, in.turnId(), in.step(), ToolResults.refOf(row));
      }
    });
  }

  private ToolRow tool(CompanyId company, ToolCallInput in) {
    TurnRow turn = turns.find(company, in.turnId())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("turn " + in.turnId() + " not found", ErrorCode.NOT_FOUND.name()));
    if (turn.agentVersion() == null) {
      throw ApplicationFailure.newNonRetryableFailure("turn " + in.turnId() + " has no pinned version", ErrorCode.NOT_FOUND.name());
    }
    return catalog.named(company, turn.agentId(), turn.agentVersion(), in.toolName()).orElse(null);
  }

  /** The tool's headers with secret values decrypted now, at execution time; they never leave this call. */
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

  /** For recording after the call: a header that no longer decrypts only weakens the audit row's redaction. */
  private List<String> secretHeaderValuesOrNone(CompanyId company, ToolRow tool) {
    try {
      return secretHeaderValues(tool, headers(company, tool));
    } catch (ApplicationFailure e) {
      return List.of();
    }
  }

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

  /** Why the arguments cannot fill the URL's path (a "..", a "/"), told to the model before any approval or request. */
  private static String pathProblems(ToolRow tool, String argumentsJson) {
    try {
      return UrlTemplate.problems(tool.urlTemplate(),
          JSON.readTree(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson));
    } catch (IOException e) {
      return "arguments are not valid JSON";
    }
  }

  /** Derived from the workflow and the call: the same on every attempt, different for every call. */
  static String idempotencyKey(String workflowId, String callId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((workflowId + "|" + callId).getBytes(StandardCharsets.UTF_8));
      return "saturn-" + HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String excerpt(String body) {
    return body == null || body.isBlank() ? "" : ": " + truncate(body.replaceAll("\\s+", " ").strip(), MAX_ERROR_EXCERPT);
  }

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
