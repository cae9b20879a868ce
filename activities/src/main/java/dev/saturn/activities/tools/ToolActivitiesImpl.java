package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.chat.TurnJournal;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.chat.MessageRepository;
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
import dev.saturn.workflows.tools.ToolCheck;
import dev.saturn.workflows.tools.ToolOutcome;
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
  private final ToolArguments arguments = new ToolArguments();

  @Autowired
  ToolActivitiesImpl(
      TurnRepository turns, ToolCatalog catalog, ToolSecrets secrets, ToolApprovalRepository approvals,
      MessageRepository messages, UsageEventRepository usage, AuditLogRepository audit, TurnJournal journal,
      TransactionTemplate transaction, Clock clock, ToolsProperties properties) {
    this(turns, catalog, secrets, approvals, messages, usage, audit, journal, transaction, clock, properties,
        new HttpToolExecutor(new SsrfGuard(properties.allowedHosts()), properties.maxResponseBytes(), properties.maxRedirects()));
  }

  /** With an executor of the caller's (tests play DNS through its guard). */
  public ToolActivitiesImpl(
      TurnRepository turns, ToolCatalog catalog, ToolSecrets secrets, ToolApprovalRepository approvals,
      MessageRepository messages, UsageEventRepository usage, AuditLogRepository audit, TurnJournal journal,
      TransactionTemplate transaction, Clock clock, ToolsProperties properties, HttpToolExecutor executor) {
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
  public ToolOutcome executeToolCall(ToolCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    ToolRow tool = tool(company, in);
    if (tool == null) {
      return ToolOutcome.error(in.callId(), in.toolName(), ErrorCode.TOOL_EXECUTION_FAILED.name(),
          "tool '" + in.toolName() + "' no longer exists");
    }
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    boolean idempotent = tool.idempotent() || IDEMPOTENT_METHODS.contains(tool.method());
    Set<String> secretFields = ToolCatalog.secretFields(tool);
    Map<String, String> headers = headers(company, tool);
    List<String> secretValues = secretHeaderValues(tool, headers);
    JsonNode args;
    try {
      args = JSON.readTree(in.arguments() == null || in.arguments().isBlank() ? "{}" : in.arguments());
    } catch (IOException e) {
      return ToolOutcome.error(in.callId(), tool.name(), ErrorCode.TOOL_SCHEMA_INVALID.name(), "arguments are not valid JSON");
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
    record(company, in, tool, info.getAttempt(), response, status, durationMs, redactedArgs, outcome);

    if (!response.ok() && response.transientFailure() && idempotent) {
      // Retrying is safe only for idempotent tools; Temporal retries with backoff, then the
      // workflow tells the model TOOL_EXECUTION_FAILED.
      throw ApplicationFailure.newFailure(
          "tool " + tool.name() + " failed (" + (response.failure() != null ? response.failure() : "HTTP " + response.status())
              + "); retrying", ErrorCode.TOOL_EXECUTION_FAILED.name());
    }
    return outcome;
  }

  /** Usage (only for a call that got an answer), audit (every attempt) and the event, in one transaction. */
  private void record(
      CompanyId company, ToolCallInput in, ToolRow tool, int attempt, HttpToolExecutor.Response response, String status,
      long durationMs, String redactedArgs, ToolOutcome outcome) {
    transaction.executeWithoutResult(tx -> {
      if (response.status() > 0) {
        usage.recordOnce(company, new UsageEvent(
            Ids.newId(), company.value(), in.agentId(), in.sessionId(), in.turnId(), "tool_call", null, null,
            0, 0, 1, false, "turn:" + in.turnId() + ":tool:" + in.callId(), clock.instant()));
      }
      ObjectNode diff = JSON.createObjectNode();
      ObjectNode after = diff.putObject("after");
      after.put("turn_id", in.turnId()).put("call_id", in.callId()).put("tool", tool.name())
          .put("method", tool.method()).put("status", status).put("duration_ms", durationMs).put("attempt", attempt);
      if (response.status() > 0) {
        after.put("http_status", response.status());
      }
      after.put("arguments", redactedArgs);
      after.put("result", truncate(outcome.content(), MAX_AUDITED_RESULT));
      String auditId = UUID.nameUUIDFromBytes(
          ("tool.execute|" + in.turnId() + "|" + in.callId() + "|" + attempt).getBytes(StandardCharsets.UTF_8)).toString();
      DuplicateKeys.insertOnce(() -> {
        audit.append(company, new AuditEntry(
            auditId, company.value(), "agent", in.agentId(), "tool.execute", "tool", tool.id(), diff.toString(),
            null, clock.instant()));
        return 1;
      });
      journal.append(company, in.turnId(), "call:" + in.callId() + ":executed:" + attempt, "tool_call_executed",
          journal.data().put("call_id", in.callId()).put("tool", tool.name()).put("status", status)
              .put("http_status", response.status()).put("duration_ms", durationMs));
    });
  }

  @Override
  public void closeApproval(ApprovalClosure in) {
    CompanyId company = CompanyId.of(in.companyId());
    transaction.executeWithoutResult(status -> {
      approvals.close(company, in.turnId(), in.callId(), in.outcome(), in.decidedBy(), Redaction.redactText(in.reason()));
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
        messages.insertToolResultOnce(company, in.sessionId(), in.turnId(), outcome.callId(), outcome.toolName(),
            outcome.content() == null ? "" : outcome.content());
        ObjectNode data = journal.data().put("step", in.step()).put("call_id", outcome.callId())
            .put("tool", outcome.toolName()).put("ok", outcome.ok());
        if (outcome.errorCode() != null) {
          data.put("error_code", outcome.errorCode());
        }
        journal.append(company, in.turnId(), "call:" + outcome.callId() + ":result", "tool_call_result", data);
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
