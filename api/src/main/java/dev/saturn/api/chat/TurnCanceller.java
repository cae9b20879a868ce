package dev.saturn.api.chat;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Cancels a running turn for any channel: asks Temporal to cancel the turn's workflow, which fails
 * the turn {@code TURN_CANCELLED} and cancels its pending approvals itself (the workflow is the one
 * writer of its turn's outcome), then waits a little for that to show on the row.
 */
@Service
public class TurnCanceller {

  private static final Logger log = LoggerFactory.getLogger(TurnCanceller.class);
  private static final long CHECK_EVERY_MS = 100;

  private final TurnRepository turns;
  private final WorkflowClient temporal;

  TurnCanceller(TurnRepository turns, WorkflowClient temporal) {
    this.turns = turns;
    this.temporal = temporal;
  }

  /**
   * @return the turn after the cancel request, re-read until it has ended or {@code wait} passed: a
   *     turn that had already ended is returned as it is
   * @throws ApiException 404 for a turn the company does not have, 503 when Temporal cannot be reached
   */
  public TurnRow cancel(CompanyId company, String turnId, Duration wait) {
    TurnRow turn = turns.find(company, turnId).orElseThrow(() -> ApiException.notFound("turn " + turnId));
    if (turn.status() != TurnStatus.RUNNING) {
      return turn;
    }
    try {
      temporal.newUntypedWorkflowStub(turn.workflowId()).cancel();
    } catch (WorkflowNotFoundException closed) {
      // The workflow has just ended (or never started): the row says how; the reconciler settles a stray one.
      log.debug("turn {} has no running workflow to cancel", turnId);
    } catch (WorkflowServiceException e) {
      throw ApiException.of(ErrorCode.SERVICE_UNAVAILABLE, "The workflow service is unavailable; retry the cancel", e);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    while (turn.status() == TurnStatus.RUNNING && System.nanoTime() < deadline) {
      try {
        Thread.sleep(CHECK_EVERY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      turn = turns.find(company, turnId).orElseThrow();
    }
    return turn;
  }
}
