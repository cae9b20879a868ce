package dev.saturn.api.chat;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A recorded turn's workflow, for {@link TurnStarter}: started (or attached to), and waited for.
 *
 * <p>The start asks for eager execution: when this process also runs a worker for the chat queue
 * (same {@link WorkflowClient}) and the server allows it ({@code system.enableEagerWorkflowStart}),
 * the first workflow task comes back with the start response and runs here at once, without a
 * trip through the server's matching. Otherwise the SDK starts it the usual way.
 *
 * <p>The wait is pushed, not polled: a caller {@linkplain TurnEventHub#watch watches} the turn's
 * events and wakes on {@code turn.completed}/{@code turn.failed} (the answer is stored by then) or
 * {@code approval.requested}. A worker in this process hands those over the moment they commit;
 * from another process the hub's listener finds them within {@code saturn.chat.events.poll-every}.
 * A safety net reads the turn and its pending approvals every {@link #SAFETY_NET_EVERY}, so a lost
 * wake-up costs at most that, never the whole wait.
 */
@Service
public class TurnRuns {

  private static final Logger log = LoggerFactory.getLogger(TurnRuns.class);
  static final Duration SAFETY_NET_EVERY = Duration.ofSeconds(1);

  /** How a wait ended. */
  public enum Outcome {
    /** The turn completed or failed; its row says which. */
    ENDED,
    /** A tool call of the turn waits for a person. */
    AWAITING_APPROVAL,
    /** Still running when the wait was over. */
    WAITED_OUT
  }

  private final WorkflowClient temporal;
  private final ChatProperties properties;
  private final TurnEventHub hub;
  private final TurnRepository turns;
  private final ToolApprovalRepository approvals;

  TurnRuns(
      WorkflowClient temporal, ChatProperties properties, TurnEventHub hub, TurnRepository turns,
      ToolApprovalRepository approvals) {
    this.temporal = temporal;
    this.properties = properties;
    this.hub = hub;
    this.turns = turns;
    this.approvals = approvals;
  }

  /**
   * Starts the turn's workflow under its stored id, or attaches to it if it runs (or ran) already.
   *
   * @throws ApiException 503 when Temporal cannot be reached (the turn stays recorded)
   */
  public void start(TurnRow turn, String message) {
    ChatTurnWorkflow workflow = temporal.newWorkflowStub(
        ChatTurnWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(turn.workflowId())
            .setTaskQueue(TaskQueues.CHAT)
            // A finished turn is never run again under the same id.
            .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            // An abandoned turn must end some day; the reconciler then fails it.
            .setWorkflowExecutionTimeout(properties.workflowExecutionTimeout())
            .setTypedSearchAttributes(
                SaturnSearchAttributes.chatTurn(turn.companyId(), turn.agentId(), turn.sessionId(), turn.id()))
            // The first workflow task in the start response, when a worker of this process can take it.
            .setDisableEagerExecution(false)
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
   * {@link #start}, then {@link #await} up to {@code wait}; the watch begins before the start, so
   * no event of the turn can slip past it.
   */
  public Outcome startAndAwait(TurnRow turn, String message, Duration wait) {
    CompanyId company = CompanyId.of(turn.companyId());
    try (TurnEventHub.Watch watch = hub.watch(company, turn.id())) {
      start(turn, message);
      return awaitWatching(watch, company, turn.id(), wait);
    }
  }

  /** Waits up to {@code wait} for the turn to end or to start waiting for a person's approval. */
  public Outcome await(CompanyId company, String turnId, Duration wait) {
    try (TurnEventHub.Watch watch = hub.watch(company, turnId)) {
      return awaitWatching(watch, company, turnId, wait);
    }
  }

  private Outcome awaitWatching(TurnEventHub.Watch watch, CompanyId company, String turnId, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Outcome.WAITED_OUT;
        }
        Duration slice = Duration.ofNanos(Math.min(left, SAFETY_NET_EVERY.toNanos()));
        TurnEventHub.Wake wake = watch.await(slice);
        if (wake == TurnEventHub.Wake.ENDED) {
          return Outcome.ENDED;
        }
        // An approval asked for (possibly decided already), or the safety net: the database says.
        if (!approvals.pendingForTurn(company, turnId).isEmpty()) {
          return Outcome.AWAITING_APPROVAL;
        }
        if (wake == TurnEventHub.Wake.NOTHING && hasEnded(company, turnId)) {
          return Outcome.ENDED;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.WAITED_OUT;
    }
  }

  private boolean hasEnded(CompanyId company, String turnId) {
    return turns.find(company, turnId).map(turn -> turn.status() != TurnStatus.RUNNING).orElse(true);
  }
}
