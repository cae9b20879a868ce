package dev.saturn.activities.chat;

import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.webhooks.WebhookFacts;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnStepReads;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.tools.ToolApprovalRepository;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.chat.ChatStoreActivities;
import dev.saturn.workflows.chat.CompleteTurnInput;
import dev.saturn.workflows.chat.FailTurnInput;
import dev.saturn.workflows.chat.LlmCallResult;
import dev.saturn.workflows.chat.StartTurnInput;
import dev.saturn.workflows.chat.TurnCompleted;
import dev.saturn.workflows.chat.TurnStarted;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Redaction;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each method is safe to run again: the version pin keeps the first value, messages are unique per
 * (turn, role), and the usage event is unique per idempotency key.
 */
@Component
public class ChatStoreActivitiesImpl implements ChatStoreActivities {

  static final String USER = "user";
  static final String ASSISTANT = "assistant";

  private final TurnStepReads reads;
  private final TurnRepository turns;
  private final MessageRepository messages;
  private final UsageEventRepository usage;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final ToolCatalog catalog;
  private final TurnJournal journal;
  /** Knowledge base: null in tests of chat alone, which then run without retrieval (and citations). */
  private final KbDocumentRepository kbDocuments;
  private final TurnPassageRepository passages;
  private final ToolApprovalRepository approvals;
  private final BusinessMetrics metrics;
  private final WebhookFacts facts;

  ChatStoreActivitiesImpl(
      TurnStepReads reads,
      TurnRepository turns,
      MessageRepository messages,
      UsageEventRepository usage,
      TransactionTemplate transaction,
      Clock clock,
      ToolCatalog catalog,
      TurnJournal journal,
      ToolApprovalRepository approvals,
      KbDocumentRepository kbDocuments,
      TurnPassageRepository passages,
      BusinessMetrics metrics,
      WebhookFacts facts) {
    this.reads = reads;
    this.turns = turns;
    this.messages = messages;
    this.usage = usage;
    this.transaction = transaction;
    this.clock = clock;
    this.catalog = catalog;
    this.journal = journal;
    this.kbDocuments = kbDocuments;
    this.passages = passages;
    this.approvals = approvals;
    this.metrics = metrics;
    this.facts = facts;
  }

  /**
   * One read for the turn, its agent, the pinned version's config and the journal's position; the
   * pin, the question and {@code turn.started} in the same transaction.
   */
  @Override
  public TurnStarted startTurn(StartTurnInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    return transaction.execute(status -> {
      TurnStepReads.Start start =
          reads.start(company, in.turnId(), in.agentId()).orElseThrow(() -> notFound("turn " + in.turnId()));
      int version;
      if (start.pinnedVersion() != null) {
        version = start.pinnedVersion();
      } else {
        if (!start.agentFound()) {
          throw notFound("agent " + in.agentId());
        }
        if (!start.agentEnabled()) {
          throw ApplicationFailure.newNonRetryableFailure("agent is disabled", ErrorCode.AGENT_DISABLED.name());
        }
        version = turns.pinVersion(company, in.turnId(), start.currentVersion());
      }
      MessageRow question = messages.insertOnce(company, in.sessionId(), in.turnId(), USER, in.userMessage(), null);
      AgentConfig config = version == start.version() && start.configJson() != null
          ? catalog.config(company, in.agentId(), version, start.configJson())
          : catalog.config(company, in.agentId(), version);
      List<String> allowlist =
          catalog.toolsOf(company, in.agentId(), version, config).stream().map(ToolRow::name).toList();
      boolean knowledgeBase = kbDocuments != null && start.knowledgeBase();
      journal.appendAfter(company, in.turnId(), start.lastEventSeq(), List.of(new TurnJournal.Entry(
          "turn:started", TurnEventType.TURN_STARTED, journal.data()
              .put("turn_id", in.turnId()).put("agent_id", in.agentId()).put("agent_version", version)
              .put("session_id", in.sessionId()))));
      return new TurnStarted(
          version, question.seq(), allowlist, allowlist.isEmpty() ? 0 : config.toolCallLimit(), knowledgeBase);
    });
  }

  /**
   * One transaction: the answer, the turn marked, then one read of what the rest needs (the turn as
   * stored, whether the call's usage is recorded, webhook subscribers, a channel's reply target,
   * passages, the journal's position), the usage if it is not, the facts, and the last events.
   */
  @Override
  public TurnCompleted completeTurn(CompleteTurnInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    LlmCallResult reply = in.reply();
    MessageRow answer = transaction.execute(status -> {
      MessageRow stored = messages.insertOnce(
          company, in.sessionId(), in.turnId(), ASSISTANT, reply.content(), Math.toIntExact(reply.outputTokens()));
      long inputTokens = in.totalInputTokens() == null ? reply.inputTokens() : in.totalInputTokens();
      long outputTokens = in.totalOutputTokens() == null ? reply.outputTokens() : in.totalOutputTokens();
      boolean completedNow = turns.markCompleted(company, in.turnId(), stored.id(), inputTokens, outputTokens);
      TurnStepReads.End end = reads.end(company, in.turnId(), in.usageKey())
          .orElseThrow(() -> notFound("turn " + in.turnId()));
      // generate records each call's usage under this key; this is for a reply that was not (the key keeps it once)
      if (!end.usageRecorded()) {
        usage.recordOnce(company, new UsageEvent(
            Ids.newId(),
            company.value(),
            in.agentId(),
            in.sessionId(),
            in.turnId(),
            "llm",
            reply.provider(),
            reply.model(),
            reply.inputTokens(),
            reply.outputTokens(),
            1,
            reply.estimated(),
            in.usageKey(),
            clock.instant()));
      }
      if (passages != null && !end.passages().isEmpty()) {
        String question = messages.findByTurn(company, in.turnId(), USER).map(MessageRow::content).orElse("");
        KbCitationsJson.of(end.passages(), question)
            .ifPresent(json -> messages.setCitations(company, stored.id(), json));
      }
      if (completedNow) {
        metrics.turnEnded(end.turn());
        facts.turnCompleted(company, in.turnId(), in.sessionId(), in.agentId(), stored, inputTokens, outputTokens,
            end.webhookSubscribed(), end.replyTarget());
      }
      journal.appendAfter(company, in.turnId(), end.lastEventSeq(), List.of(
          new TurnJournal.Entry("turn:final_message", TurnEventType.MESSAGE_COMPLETED,
              journal.data().put("message_id", stored.id()).put("content", stored.content())),
          new TurnJournal.Entry("turn:completed", TurnEventType.TURN_COMPLETED,
              journal.data().put("status", "completed"))));
      return stored;
    });
    return new TurnCompleted(answer.id());
  }

  @Override
  public void failTurn(FailTurnInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    String message = Redaction.redactText(in.errorMessage());
    ErrorCode code = ErrorCode.fromType(in.errorCode());
    // One transaction: whoever sees the turn failed also sees its last event (the stream ends on it).
    transaction.executeWithoutResult(status -> {
      if (!turns.markFailed(company, in.turnId(), in.errorCode(), message)) {
        // Already ended: a completed turn (a cancel that came as it was saved) keeps its answer and
        // its last event; a turn failed before already wrote both, and its webhook event.
        return;
      }
      turns.find(company, in.turnId()).ifPresent(metrics::turnEnded);
      // A call still waiting for a person can never be decided now: close it with the turn.
      approvals.cancelPending(company, in.turnId(), "the turn failed: " + in.errorCode());
      // the stream is as public as GET /v1/turns/{id}: server-side messages show only the title
      String publicMessage = code.httpStatus() >= 500 || message == null ? code.title() : message;
      journal.append(company, in.turnId(), "turn:failed", TurnEventType.TURN_FAILED, journal.data()
          .put("status", "failed")
          .put("code", in.errorCode())
          .put("message", publicMessage));
      facts.turnFailed(company, in.turnId(), in.errorCode(), publicMessage);
    });
  }

  private static ApplicationFailure notFound(String what) {
    return ApplicationFailure.newNonRetryableFailure(what + " not found", ErrorCode.NOT_FOUND.name());
  }
}
