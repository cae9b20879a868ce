package dev.saturn.activities.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.chat.TurnJournal;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.webhooks.WebhookFacts;
import dev.saturn.db.audit.AuditEntry;
import dev.saturn.db.audit.AuditLogRepository;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.Ids;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.Redaction;
import dev.saturn.workflows.tools.ApprovalClosure;
import dev.saturn.workflows.tools.ToolCallInput;
import dev.saturn.workflows.tools.ToolCallRef;
import dev.saturn.workflows.tools.ToolExecution;
import dev.saturn.workflows.tools.ToolOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Everything the tool activities write, for every kind of tool: approval rows, the call's result
 * (tool message), usage, audit rows and turn events. Each write is keyed by the turn and the call
 * id (and the attempt, for audit rows), so a retried activity finds what its first attempt wrote;
 * each method is one transaction. What it is given is already redacted.
 */
@Component
public class ToolCallRecorder {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_AUDITED_RESULT = 4000;

  private final ToolApprovalRepository approvals;
  private final MessageRepository messages;
  private final UsageEventRepository usage;
  private final AuditLogRepository audit;
  private final TurnJournal journal;
  private final TransactionTemplate transaction;
  private final BusinessMetrics metrics;
  private final Clock clock;
  private final WebhookFacts facts;

  public ToolCallRecorder(
      ToolApprovalRepository approvals, MessageRepository messages, UsageEventRepository usage, AuditLogRepository audit,
      TurnJournal journal, TransactionTemplate transaction, Clock clock, BusinessMetrics metrics,
      WebhookFacts facts) {
    this.metrics = metrics;
    this.approvals = approvals;
    this.messages = messages;
    this.usage = usage;
    this.audit = audit;
    this.journal = journal;
    this.transaction = transaction;
    this.clock = clock;
    this.facts = facts;
  }

  /** The pending approval row (first one wins) and its {@code tool_call_awaiting_approval} event. */
  public void awaitingApproval(CompanyId company, ToolCallInput call, ToolRow tool, String redactedArguments, Duration timeout) {
    Instant now = clock.instant();
    Instant expires = now.plus(timeout);
    transaction.executeWithoutResult(status -> {
      if (approvals.insertPendingOnce(company, new ToolApprovalRow(
          company.value(), call.turnId(), call.callId(), call.agentId(), call.sessionId(), tool.id(), tool.name(),
          redactedArguments, ToolApprovalRow.PENDING, now, expires, null, null, null))) {
        facts.approvalRequested(company, call.turnId(), call.callId(), call.sessionId(), call.agentId(), tool.id(),
            tool.name(), expires);
      }
      journal.append(company, call.turnId(), "call:" + call.callId() + ":awaiting_approval", TurnEventType.APPROVAL_REQUESTED,
          journal.data().put("call_id", call.callId()).put("tool", tool.name()).put("arguments", redactedArguments)
              .put("expires_at", expires.toString()));
    });
  }

  /** Closes a pending approval (approved, denied, timed out) and writes its event. */
  public void approvalClosed(ApprovalClosure in) {
    CompanyId company = CompanyId.of(in.companyId());
    transaction.executeWithoutResult(status -> {
      Optional<ToolApprovalRow> pending = approvals.find(company, in.turnId(), in.callId());
      if (approvals.close(company, in.turnId(), in.callId(), in.outcome(), in.decidedBy(), Redaction.redactText(in.reason()))) {
        pending.ifPresent(row -> metrics.approvalClosed(in.outcome(), Duration.between(row.requestedAt(), clock.instant())));
        facts.approvalDecided(company, in.turnId(), in.callId(), in.outcome(), in.decidedBy());
      }
      TurnEventType type = switch (in.outcome()) {
        case ApprovalClosure.APPROVED -> TurnEventType.APPROVAL_APPROVED;
        case ApprovalClosure.DENIED -> TurnEventType.APPROVAL_DENIED;
        default -> TurnEventType.APPROVAL_TIMED_OUT;
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

  /** The call's stored result (tool message), if any attempt stored one. */
  public Optional<MessageRow> storedResult(CompanyId company, String turnId, String callId) {
    return messages.findToolResult(company, turnId, callId);
  }

  /**
   * The call's tool message (the first one stored for a call wins) and its {@code tool_call_result}
   * event; the reference describes the stored row. The first store of a call counts it in the
   * tool-call metrics, by {@code toolKind} (the kind that ran it; ignored when nothing ran).
   */
  public ToolCallRef storeResult(
      CompanyId company, String sessionId, String turnId, int step, ToolOutcome outcome, ToolExecution execution,
      String toolKind) {
    return transaction.execute(status -> storeOnce(company, sessionId, turnId, step, outcome, execution, toolKind));
  }

  /** A step's results stored inline, as turns started before results travelled by reference do. */
  public void storeResults(CompanyId company, String sessionId, String turnId, int step, List<ToolOutcome> outcomes) {
    transaction.executeWithoutResult(status -> outcomes.forEach(
        outcome -> storeOnce(company, sessionId, turnId, step, outcome, null, null)));
  }

  /** {@code toolKind} null: not counted (turns started before results travelled by reference). */
  private ToolCallRef storeOnce(
      CompanyId company, String sessionId, String turnId, int step, ToolOutcome outcome, ToolExecution execution,
      String toolKind) {
    boolean first = toolKind != null && messages.findToolResult(company, turnId, outcome.callId()).isEmpty();
    MessageRow row = messages.insertToolResultOnce(company, sessionId, turnId, outcome.callId(), outcome.toolName(),
        outcome.content() == null ? "" : outcome.content(), ToolResults.json(outcome, execution));
    ToolCallRef ref = ToolResults.refOf(row);
    ObjectNode data = journal.data().put("step", step).put("call_id", ref.callId())
        .put("tool", ref.toolName()).put("ok", ref.ok());
    if (ref.errorCode() != null) {
      data.put("error_code", ref.errorCode());
    }
    journal.append(company, turnId, "call:" + ref.callId() + ":result", TurnEventType.TOOL_RESULT, data);
    if (first) {
      metrics.toolCallStored(execution == null ? BusinessMetrics.NONE : toolKind, ref.ok() ? null : ref.errorCode());
    }
    return ref;
  }

  /**
   * What an attempt that was sent came to: the usage event (only when the tool answered at all:
   * that is what is billed, once per call), the audit row (one per attempt) and the
   * {@code tool_call_executed} event. A call never sent ({@code execution} null) records nothing.
   */
  public void recordExecution(
      CompanyId company, ToolCallInput call, ToolExecution execution, String redactedArguments, ToolOutcome outcome) {
    if (execution == null) {
      return;
    }
    transaction.executeWithoutResult(status -> {
      if (execution.answered()) {
        usage.recordOnce(company, new UsageEvent(
            Ids.newId(), company.value(), call.agentId(), call.sessionId(), call.turnId(), "tool_call", null, null,
            0, 0, 1, false, "turn:" + call.turnId() + ":tool:" + call.callId(), clock.instant()));
      }
      ObjectNode diff = JSON.createObjectNode();
      ObjectNode after = diff.putObject("after");
      after.put("turn_id", call.turnId()).put("call_id", call.callId()).put("tool", outcome.toolName())
          .put("method", execution.method()).put("status", execution.status()).put("duration_ms", execution.durationMs())
          .put("attempt", execution.attempt());
      if (execution.answered()) {
        after.put("http_status", execution.httpStatus());
      }
      after.put("arguments", redactedArguments);
      after.put("result", truncate(outcome.content(), MAX_AUDITED_RESULT));
      String auditId = UUID.nameUUIDFromBytes(
          ("tool.execute|" + call.turnId() + "|" + call.callId() + "|" + execution.attempt()).getBytes(StandardCharsets.UTF_8))
          .toString();
      DuplicateKeys.insertOnce(() -> {
        audit.append(company, new AuditEntry(
            auditId, company.value(), "agent", call.agentId(), "tool.execute", "tool", execution.toolId(), diff.toString(),
            null, clock.instant()));
        return 1;
      });
      journal.append(company, call.turnId(), "call:" + call.callId() + ":executed:" + execution.attempt(), TurnEventType.TOOL_EXECUTED,
          journal.data().put("call_id", call.callId()).put("tool", outcome.toolName()).put("status", execution.status())
              .put("http_status", execution.httpStatus()).put("duration_ms", execution.durationMs()));
    });
  }

  static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
  }
}
