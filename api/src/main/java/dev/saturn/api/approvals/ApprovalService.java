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
import io.grpc.Context;
import io.grpc.Deadline;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.client.WorkflowUpdateTimeoutOrCancelledException;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.PreDestroy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lists pending approvals and delivers decisions. The workflow decides what is pending: its update
 * validator refuses a decision on a call that is unknown, decided otherwise or timed out, which
 * becomes 409 CONFLICT here; a repeat of the decision that was taken answers 200 (from the
 * workflow while it runs, else from the closed approval row). The wait for the workflow is bounded
 * ({@code saturn.approvals.decision-wait}): past it, 503 with Retry-After. A decision answered 200
 * is audited with the caller as actor.
 */
@Service
public class ApprovalService {

  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);

  private final ToolApprovalRepository approvals;
  private final TurnRepository turns;
  private final WorkflowClient temporal;
  private final AuditTrail audit;
  private final JsonMapper json;
  private final ApprovalProperties properties;
  /** Fires the gRPC deadlines of {@link #send}. */
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "approval-deadlines");
    thread.setDaemon(true);
    return thread;
  });

  ApprovalService(
      ToolApprovalRepository approvals, TurnRepository turns, WorkflowClient temporal, AuditTrail audit, JsonMapper json,
      ApprovalProperties properties) {
    this.approvals = approvals;
    this.turns = turns;
    this.temporal = temporal;
    this.audit = audit;
    this.json = json;
    this.properties = properties;
  }

  public record Decided(String turnId, String callId, String decision) {}

  Page<ApprovalView> pending(Caller caller, String cursor, int limit) {
    Page<ToolApprovalRow> page = approvals.listPending(caller.company(), cursor, limit);
    return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
  }

  public Decided decide(Caller caller, String turnId, String callId, String decision, String reason) {
    TurnRow turn = turns.find(caller.company(), turnId).orElseThrow(() -> ApiException.notFound("turn " + turnId));
    if (turn.status() != TurnStatus.RUNNING) {
      return alreadyRecorded(caller, turnId, callId, decision).orElseThrow(() ->
          ApiException.conflict("Turn " + turnId + " is " + turn.status().dbValue() + "; nothing waits for a decision"));
    }
    ApprovalResult result;
    try {
      result = send(turn.workflowId(), new ApprovalDecision(callId, decision, reason, caller.actor()));
    } catch (WorkflowUpdateTimeoutOrCancelledException e) {
      log.warn("decision on tool call {} of turn {} not taken within {}: no worker took the update", callId, turnId,
          properties.decisionWait());
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The turn did not take the decision within "
              + properties.decisionWait().toSeconds() + " s (no worker running?); it may still take it. Retry the same "
              + "decision: a repeat of a decision that was taken answers 200", e)
          .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfterSeconds()));
    } catch (WorkflowUpdateException rejected) {
      return alreadyRecorded(caller, turnId, callId, decision)
          .orElseThrow(() -> ApiException.conflict(validatorMessage(rejected, callId)));
    } catch (WorkflowNotFoundException gone) {
      return alreadyRecorded(caller, turnId, callId, decision)
          .orElseThrow(() -> ApiException.conflict("Turn " + turnId + " is no longer running"));
    } catch (WorkflowServiceException e) {
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; retry the decision", e)
          .withHeader(HttpHeaders.RETRY_AFTER, Long.toString(properties.retryAfterSeconds()));
    } catch (WorkflowException e) {
      throw ApiException.conflict(validatorMessage(e, callId));
    }
    audited(caller, turnId, callId, result.decision(), reason);
    log.info("tool call {} of turn {} decided: {}", callId, turnId, result.decision());
    return new Decided(turnId, callId, result.decision());
  }

  /**
   * The {@code decide} update, waited for until the workflow completed it but never longer than
   * {@code saturn.approvals.decision-wait}: the SDK itself polls until a worker takes the update, so
   * the bound is a gRPC deadline on the calling context, which ends the call as
   * {@link WorkflowUpdateTimeoutOrCancelledException}. An update the server admitted but no worker
   * accepted is not durable: it may or may not be taken later, hence 503 and not 202.
   */
  private ApprovalResult send(String workflowId, ApprovalDecision decision) {
    WorkflowStub stub = temporal.newUntypedWorkflowStub(workflowId);
    UpdateOptions<ApprovalResult> options = UpdateOptions.newBuilder(ApprovalResult.class)
        .setUpdateName(ChatTurnWorkflow.DECIDE)
        .setWaitForStage(WorkflowUpdateStage.COMPLETED)
        .build();
    Context.CancellableContext bounded = Context.current()
        .withDeadline(Deadline.after(properties.decisionWait().toMillis(), TimeUnit.MILLISECONDS), deadlines);
    try {
      return bounded.call(() -> stub.startUpdate(options, decision).getResult());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      bounded.cancel(null);
    }
  }

  /**
   * A repeat of a decision that was taken (the caller retried after a timeout, or the turn has
   * moved on): 200 with the recorded decision instead of 409. The approval row is closed by the
   * workflow once it took the decision.
   */
  private Optional<Decided> alreadyRecorded(Caller caller, String turnId, String callId, String decision) {
    String closedAs = ApprovalDecision.APPROVE.equals(decision) ? "approved" : "denied";
    return approvals.find(caller.company(), turnId, callId)
        .filter(row -> closedAs.equals(row.status()))
        .map(row -> new Decided(turnId, callId, decision));
  }

  private void audited(Caller caller, String turnId, String callId, String decision, String reason) {
    Map<String, Object> after = new LinkedHashMap<>();
    after.put("turn_id", turnId);
    after.put("call_id", callId);
    after.put("decision", decision);
    if (reason != null) {
      after.put("reason", reason);
    }
    audit.record(caller, "tool_call." + decision, "turn", turnId, null, after);
  }

  @PreDestroy
  void stop() {
    deadlines.shutdownNow();
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
