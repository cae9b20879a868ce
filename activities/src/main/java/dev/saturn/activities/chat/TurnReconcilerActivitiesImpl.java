package dev.saturn.activities.chat;

import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.chat.TurnSweep;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.chat.ChatStoreActivities;
import dev.saturn.workflows.chat.FailTurnInput;
import dev.saturn.workflows.chat.reconciler.CandidatePage;
import dev.saturn.workflows.chat.reconciler.ReconcileCursor;
import dev.saturn.workflows.chat.reconciler.TurnCandidate;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerActivities;
import dev.saturn.workflows.common.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Finds turns still {@code running} long after they started and asks Temporal about their
 * workflows. Candidates come from the database, company by company ({@link TurnSweep} lists the
 * companies, everything else is tenant-scoped), because the Java test server has no visibility
 * API to list closed workflows.
 */
@Component
public class TurnReconcilerActivitiesImpl implements TurnReconcilerActivities {

  private static final Logger log = LoggerFactory.getLogger(TurnReconcilerActivitiesImpl.class);
  private static final int COMPANY_PAGE = 100;

  private final TurnSweep sweep;
  private final TurnRepository turns;
  private final ChatStoreActivities store;
  private final WorkflowClient temporal;
  private final TurnReconcilerProperties properties;
  private final Clock clock;

  public TurnReconcilerActivitiesImpl(
      TurnSweep sweep, TurnRepository turns, ChatStoreActivities store, WorkflowClient temporal,
      TurnReconcilerProperties properties, Clock clock) {
    this.sweep = sweep;
    this.turns = turns;
    this.store = store;
    this.temporal = temporal;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public CandidatePage abandonedTurnCandidates(ReconcileCursor after) {
    Instant cutoff = clock.instant().minus(properties.gracePeriod());
    int budget = properties.batchSize();
    List<Found> found = new ArrayList<>();
    String company = null;
    if (after != null) {
      // the rest of the company the previous pass stopped in
      company = after.companyId();
      add(found, turns.runningBefore(
          CompanyId.of(company), cutoff, Instant.parse(after.createdAt()), after.turnId(), budget));
    }
    while (found.size() < budget) {
      List<String> companies = sweep.companiesWithRunningTurns(cutoff, company, COMPANY_PAGE);
      for (String next : companies) {
        company = next;
        add(found, turns.runningBefore(CompanyId.of(next), cutoff, null, null, budget - found.size()));
        if (found.size() >= budget) {
          break;
        }
      }
      if (companies.size() < COMPANY_PAGE) {
        break;
      }
    }
    if (found.size() < budget) {
      return new CandidatePage(found.stream().map(Found::candidate).toList(), null);
    }
    Found last = found.get(found.size() - 1);
    return new CandidatePage(found.stream().map(Found::candidate).toList(),
        new ReconcileCursor(last.candidate().companyId(), last.createdAt().toString(), last.candidate().turnId()));
  }

  private record Found(TurnCandidate candidate, Instant createdAt) {}

  private static void add(List<Found> found, List<TurnRow> rows) {
    for (TurnRow row : rows) {
      found.add(new Found(new TurnCandidate(row.companyId(), row.id(), row.workflowId()), row.createdAt()));
    }
  }

  @Override
  public boolean reconcileTurn(TurnCandidate candidate) {
    CompanyId company = CompanyId.of(candidate.companyId());
    TurnRow turn = turns.find(company, candidate.turnId()).orElse(null);
    if (turn == null || turn.status() != TurnStatus.RUNNING) {
      return false;
    }
    String state = workflowState(turn.workflowId());
    if (state == null) {
      return false; // still running: it will finish the turn itself
    }
    log.warn("turn abandoned: turn_id={} workflow_id={} workflow={}", turn.id(), turn.workflowId(), state);
    store.failTurn(new FailTurnInput(company.value(), turn.id(), ErrorCode.TURN_ABANDONED.name(),
        "the turn's workflow ended without finishing it (" + state + ")"));
    return true;
  }

  /** Null while the workflow runs; otherwise how it ended, or "not found" (never started, or deleted after retention). */
  private String workflowState(String workflowId) {
    try {
      WorkflowExecutionStatus status = temporal.getWorkflowServiceStubs().blockingStub()
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .build())
          .getWorkflowExecutionInfo()
          .getStatus();
      return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
          ? null
          : status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(java.util.Locale.ROOT);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return "not found";
      }
      throw e;
    }
  }
}
