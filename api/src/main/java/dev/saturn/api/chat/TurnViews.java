package dev.saturn.api.chat;

import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.chat.TurnViewReads;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolApprovalRow;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.chat.TurnProgress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds a {@link TurnView} from the stored turn, asking the workflow for its live step while it
 * runs. Every channel renders a turn from this view, so status, answer, usage and pending approvals
 * mean the same everywhere.
 */
@Component
public class TurnViews {

  private static final Logger log = LoggerFactory.getLogger(TurnViews.class);

  public static final String AWAITING_APPROVAL = "awaiting_approval";

  /** The query method's name on {@link ChatTurnWorkflow}. */
  private static final String PROGRESS_QUERY = "progress";
  private static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(2);

  private final MessageRepository messages;
  private final UsageEventRepository usage;
  private final WorkflowClient temporal;
  private final ToolApprovalRepository approvals;
  private final JsonMapper json;
  private final TurnViewReads reads;

  TurnViews(
      MessageRepository messages, UsageEventRepository usage, WorkflowClient temporal, ToolApprovalRepository approvals,
      JsonMapper json, TurnViewReads reads) {
    this.reads = reads;
    this.messages = messages;
    this.usage = usage;
    this.temporal = temporal;
    this.approvals = approvals;
    this.json = json;
  }

  /** Redacted arguments as JSON when they are JSON (they were validated against the tool's schema), else as text. */
  JsonNode arguments(String stored) {
    try {
      return json.readTree(stored);
    } catch (JacksonException e) {
      return json.getNodeFactory().stringNode(stored);
    }
  }

  public TurnView of(CompanyId company, TurnRow turn) {
    return of(company, turn, () -> new Answer(
        messages.find(company, turn.assistantMessageId()).map(MessageView::of).orElse(null),
        summary(usage.listForTurn(company, turn.id()))));
  }

  /** The view of a turn read with its answer and usage ({@link TurnViewReads}): no further read once it has ended. */
  public TurnView of(CompanyId company, TurnViewReads.TurnWithAnswer read) {
    return of(company, read.turn(), () -> new Answer(read.answer().map(MessageView::of).orElse(null), read.usage()));
  }

  /** The turn with its answer and usage, in one read; empty when the company has no such turn. */
  public Optional<TurnViewReads.TurnWithAnswer> read(CompanyId company, String turnId) {
    return reads.find(company, turnId);
  }

  /** What a completed turn shows besides its row. */
  private record Answer(MessageView message, TurnViewReads.UsageSummary usage) {}

  private static TurnViewReads.UsageSummary summary(List<UsageEvent> events) {
    UsageEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
    return new TurnViewReads.UsageSummary(
        events.size(),
        events.stream().mapToLong(UsageEvent::inputTokens).sum(),
        events.stream().mapToLong(UsageEvent::outputTokens).sum(),
        events.stream().anyMatch(UsageEvent::estimated),
        last == null ? null : last.provider(),
        last == null ? null : last.model());
  }

  private TurnView of(CompanyId company, TurnRow turn, Supplier<Answer> completed) {
    String status = turn.status().dbValue();
    String step = null;
    MessageView message = null;
    String provider = null;
    String model = null;
    TurnView.Usage usageView = null;
    TurnView.Error error = null;
    List<TurnView.PendingApproval> pending = null;
    switch (turn.status()) {
      case RUNNING -> {
        step = liveStep(turn);
        List<ToolApprovalRow> rows = approvals.pendingForTurn(company, turn.id());
        if (!rows.isEmpty()) {
          status = AWAITING_APPROVAL;
          pending = rows.stream().map(r -> new TurnView.PendingApproval(
              r.callId(), r.toolName(), arguments(r.arguments()), r.requestedAt(), r.expiresAt())).toList();
        }
      }
      case COMPLETED -> {
        Answer answer = completed.get();
        message = answer.message();
        provider = answer.usage().provider();
        model = answer.usage().model();
        usageView = new TurnView.Usage(answer.usage().inputTokens(), answer.usage().outputTokens(), answer.usage().estimated());
      }
      case FAILED -> error = new TurnView.Error(turn.errorCode(), TurnErrors.publicMessage(turn.errorCode(), turn.errorMessage()));
    }
    return new TurnView(
        turn.id(), turn.sessionId(), turn.agentId(), turn.agentVersion(), status, step, message, provider, model,
        usageView, error, turn.createdAt(), turn.completedAt(), pending);
  }

  private String liveStep(TurnRow turn) {
    if (turn.status() != TurnStatus.RUNNING) {
      return null;
    }
    try {
      // A query is answered by a worker; with none polling it would block for the RPC's default
      // deadline, so this one gets a short deadline of its own.
      QueryWorkflowResponse response = temporal.getWorkflowServiceStubs().blockingStub()
          .withDeadlineAfter(PROGRESS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .queryWorkflow(QueryWorkflowRequest.newBuilder()
              .setNamespace(temporal.getOptions().getNamespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(turn.workflowId()))
              .setQuery(WorkflowQuery.newBuilder().setQueryType(PROGRESS_QUERY))
              .build());
      TurnProgress progress = temporal.getOptions().getDataConverter().fromPayloads(
          0, Optional.of(response.getQueryResult()), TurnProgress.class, TurnProgress.class);
      return progress.step().name().toLowerCase(Locale.ROOT);
    } catch (RuntimeException e) {
      // No worker has picked the turn up yet, or Temporal is unreachable: the stored status still holds.
      log.debug("progress query failed for {}: {}", turn.workflowId(), e.toString());
      return "queued";
    }
  }
}
