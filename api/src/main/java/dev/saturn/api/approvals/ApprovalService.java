package dev.saturn.api.approvals;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.Page;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.workflows.chat.ApprovalDecision;
import dev.saturn.workflows.chat.ApprovalResult;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists pending approvals and delivers decisions. The workflow decides what is pending: its update
 * validator refuses a decision on a call that is unknown, decided or timed out, which becomes 409
 * CONFLICT here. The accepted decision is audited with the caller as actor.
 */
@Service
class ApprovalService {

  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

  private final ToolApprovalRepository approvals;
  private final TurnRepository turns;
  private final WorkflowClient temporal;
  private final AuditTrail audit;
  private final JsonMapper json;

  ApprovalService(
      ToolApprovalRepository approvals, TurnRepository turns, WorkflowClient temporal, AuditTrail audit, JsonMapper json) {
    this.approvals = approvals;
    this.turns = turns;
    this.temporal = temporal;
    this.audit = audit;
    this.json = json;
  }

  record Decided(String turnId, String callId, String decision) {}

  Page<ApprovalView> pending(Caller caller, String cursor, int limit) {
    Page<ToolApprovalRow> page = approvals.listPending(caller.company(), cursor, limit);
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  Decided decide(Caller caller, String turnId, String callId, String decision, String reason) {
    TurnRow turn = turns.find(caller.company(), turnId).orElseThrow(() -> ApiException.notFound("turn " + turnId));
    if (turn.status() != TurnStatus.RUNNING) {
      throw ApiException.conflict("Turn " + turnId + " is " + turn.status().dbValue() + "; nothing waits for a decision");
    }
    ChatTurnWorkflow workflow = temporal.newWorkflowStub(ChatTurnWorkflow.class, turn.workflowId());
    ApprovalResult result;
    try {
      result = workflow.decide(new ApprovalDecision(callId, decision, reason, caller.actor()));
    } catch (WorkflowUpdateException rejected) {
      throw ApiException.conflict(validatorMessage(rejected, callId));
    } catch (WorkflowNotFoundException gone) {
      throw ApiException.conflict("Turn " + turnId + " is no longer running");
    } catch (WorkflowServiceException e) {
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; retry the decision", e);
    } catch (WorkflowException e) {
      throw ApiException.conflict(validatorMessage(e, callId));
    }
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("turn_id", turnId);
    after.put("call_id", callId);
    after.put("decision", result.decision());
    if (reason != null) {
      after.put("reason", reason);
    }
    audit.record(caller, "tool_call." + result.decision(), "turn", turnId, null, after);
    log.info("tool call {} of turn {} decided: {}", callId, turnId, result.decision());
    return new Decided(turnId, callId, result.decision());
  }

  /**
   * The validator's own words ("... is not waiting for approval ..."); its failure type does not
   * survive the SDK's wrapping, so the message is what is left to show.
   */
  private static String validatorMessage(Throwable rejected, String callId) {
    for (Throwable t = rejected; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure failure && failure.getOriginalMessage() != null) {
        return failure.getOriginalMessage();
      }
    }
    return "Tool call " + callId + " is not waiting for approval";
  }

  private ApprovalView view(ToolApprovalRow row) {
    JsonNode arguments;
    try {
      arguments = json.readTree(row.arguments());
    } catch (JacksonException e) {
      arguments = json.getNodeFactory().stringNode(row.arguments());
    }
    return new ApprovalView(row.turnId(), row.callId(), row.agentId(), row.sessionId(), row.toolId(), row.toolName(),
        arguments, row.status(), row.requestedAt(), row.expiresAt());
  }
}
