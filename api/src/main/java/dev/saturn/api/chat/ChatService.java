package dev.saturn.api.chat;

import dev.saturn.api.billing.Quotas;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.RequestContext;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.chat.SessionRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnResult;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Accepts a chat message and runs it as a {@link ChatTurnWorkflow}. The turn is recorded (turn row
 * and idempotency record, in one transaction, see {@link IdempotentRequests}) before the workflow starts, so a request retried
 * with the same Idempotency-Key after any failure finds the same turn and starts the same
 * workflow id, which Temporal runs at most once.
 */
@Service
class ChatService {

  private static final Logger log = LoggerFactory.getLogger(ChatService.class);
  static final String SCOPE = "chat";

  private final AgentRepository agents;
  private final SessionRepository sessions;
  private final TurnRepository turns;
  private final IdempotentRequests requests;
  private final WorkflowClient temporal;
  private final ChatProperties properties;
  private final ToolApprovalRepository approvals;
  private final Quotas quotas;
  private static final long APPROVAL_CHECK_EVERY_MS = 500;

  ChatService(
      AgentRepository agents,
      SessionRepository sessions,
      TurnRepository turns,
      IdempotentRequests requests,
      WorkflowClient temporal,
      ChatProperties properties,
      ToolApprovalRepository approvals,
      Quotas quotas) {
    this.approvals = approvals;
    this.agents = agents;
    this.sessions = sessions;
    this.turns = turns;
    this.requests = requests;
    this.temporal = temporal;
    this.properties = properties;
    this.quotas = quotas;
  }

  record ChatCommand(String agentId, String sessionId, String message, String idempotencyKey) {}

  /** The turn after waiting up to the configured deadline: completed, failed, or still running. */
  TurnRow chat(Caller caller, ChatCommand command) {
    CompanyId company = caller.company();
    RequestContext.setAgent(command.agentId());
    AgentRow agent = agents.find(company, command.agentId())
        .orElseThrow(() -> ApiException.notFound("agent " + command.agentId()));
    TurnRow turn = acceptOnce(company, agent, command);
    if (turn.status() == TurnStatus.RUNNING) {
      startOrAttach(turn, command.message());
      awaitResult(turn);
    }
    return turns.find(company, turn.id()).orElseThrow();
  }

  private TurnRow acceptOnce(CompanyId company, AgentRow agent, ChatCommand command) {
    return requests.once(
        company,
        SCOPE,
        command.idempotencyKey(),
        IdempotentRequests.hash(agent.id(), command.sessionId(), command.message()),
        "turn",
        turnId -> {
          if (!agent.enabled()) {
            throw ApiException.of(ErrorCode.AGENT_DISABLED, "agent " + agent.id() + " is disabled");
          }
          // Only new turns: a repeated request for a recorded turn still gets its answer.
          quotas.requireAvailable(company);
          String sessionId = sessionFor(company, agent, command.sessionId());
          // Without a key the turn is its own key: a repeat is then a new turn, as the client asked.
          String turnKey = command.idempotencyKey() != null ? command.idempotencyKey() : turnId;
          return turns.insertRunning(
              company, turnId, sessionId, agent.id(), WorkflowIds.chatTurn(company.value(), sessionId, turnKey));
        },
        turnId -> turns.find(company, turnId).orElseThrow());
  }

  private String sessionFor(CompanyId company, AgentRow agent, String sessionId) {
    if (sessionId == null) {
      return sessions.create(company, agent.id()).id();
    }
    SessionRow session = sessions.find(company, sessionId)
        .filter(s -> s.agentId().equals(agent.id()))
        .orElseThrow(() -> ApiException.notFound("session " + sessionId));
    return session.id();
  }

  private void startOrAttach(TurnRow turn, String message) {
    ChatTurnWorkflow workflow = temporal.newWorkflowStub(
        ChatTurnWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(turn.workflowId())
            .setTaskQueue(TaskQueues.CHAT)
            // A finished turn is never run again under the same id.
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            // An abandoned turn must end some day; the reconciler then fails it.
            .setWorkflowExecutionTimeout(properties.workflowExecutionTimeout())
            .build());
    try {
      WorkflowClient.start(
          workflow::run,
          new ChatTurnInput(turn.companyId(), turn.agentId(), turn.sessionId(), turn.id(), message));
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      log.debug("turn {} already started; attaching", turn.id());
    } catch (WorkflowServiceException e) {
      // The turn stays recorded: retrying with the same Idempotency-Key starts it.
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; retry with the same Idempotency-Key", e);
    }
  }

  /**
   * Waits for the result up to the configured deadline, in slices, so that a turn that starts
   * waiting for a person's approval is answered (202 with its pending approval) at once instead of
   * after the whole deadline.
   */
  private void awaitResult(TurnRow turn) {
    WorkflowStub stub = temporal.newUntypedWorkflowStub(turn.workflowId());
    long deadline = System.nanoTime() + properties.resultWait().toNanos();
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return;
      }
      try {
        stub.getResult(Math.min(left, APPROVAL_CHECK_EVERY_MS), TimeUnit.MILLISECONDS, ChatTurnResult.class);
        return;
      } catch (TimeoutException stillRunning) {
        if (!approvals.pendingForTurn(CompanyId.of(turn.companyId()), turn.id()).isEmpty()) {
          return;
        }
      } catch (WorkflowException failed) {
        // The workflow recorded the failure on the turn row before failing; the caller reads it there.
        log.info("turn {} failed: {}", turn.id(), rootMessage(failed));
        return;
      }
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof ApplicationFailure)) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

}
