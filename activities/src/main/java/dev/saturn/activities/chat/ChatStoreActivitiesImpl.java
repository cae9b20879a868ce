package dev.saturn.activities.chat;

import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.webhooks.WebhookFacts;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
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

  private final AgentRepository agents;
  private final TurnRepository turns;
  private final MessageRepository messages;
  private final UsageEventRepository usage;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final ToolCatalog catalog;
  private final TurnJournal journal;
  /** Knowledge base: null in tests of chat alone, which then run without retrieval. */
  private final KbDocumentRepository kbDocuments;
  private final TurnPassageRepository passages;
  private final ToolApprovalRepository approvals;
  private final BusinessMetrics metrics;
  private final WebhookFacts facts;

  ChatStoreActivitiesImpl(
      AgentRepository agents,
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
    this.agents = agents;
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

  @Override
  public TurnStarted startTurn(StartTurnInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    TurnRow turn = turns.find(company, in.turnId()).orElseThrow(() -> notFound("turn " + in.turnId()));
    int version;
    if (turn.agentVersion() != null) {
      version = turn.agentVersion();
    } else {
      AgentRow agent = agents.find(company, in.agentId()).orElseThrow(() -> notFound("agent " + in.agentId()));
      if (!agent.enabled()) {
        throw ApplicationFailure.newNonRetryableFailure("agent is disabled", ErrorCode.AGENT_DISABLED.name());
      }
      version = turns.pinVersion(company, in.turnId(), agent.currentVersion());
    }
    MessageRow question = messages.insertOnce(company, in.sessionId(), in.turnId(), USER, in.userMessage(), null);
    AgentConfig config = catalog.config(company, in.agentId(), version);
    List<String> allowlist = catalog.toolsOf(company, in.agentId(), version, config).stream().map(ToolRow::name).toList();
    boolean knowledgeBase = kbDocuments != null && kbDocuments.hasReady(company, in.agentId());
    journal.append(company, in.turnId(), "turn:started", TurnEventType.TURN_STARTED, journal.data()
        .put("turn_id", in.turnId()).put("agent_id", in.agentId()).put("agent_version", version)
        .put("session_id", in.sessionId()));
    return new TurnStarted(
        version, question.seq(), allowlist, allowlist.isEmpty() ? 0 : config.toolCallLimit(), knowledgeBase);
  }

  @Override
  public TurnCompleted completeTurn(CompleteTurnInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    LlmCallResult reply = in.reply();
    MessageRow answer = transaction.execute(status -> {
      MessageRow stored = messages.insertOnce(
          company, in.sessionId(), in.turnId(), ASSISTANT, reply.content(), Math.toIntExact(reply.outputTokens()));
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
      if (passages != null) {
        String question = messages.findByTurn(company, in.turnId(), USER).map(MessageRow::content).orElse("");
        KbCitationsJson.of(passages.list(company, in.turnId()), question)
            .ifPresent(json -> messages.setCitations(company, stored.id(), json));
      }
      long inputTokens = in.totalInputTokens() == null ? reply.inputTokens() : in.totalInputTokens();
      long outputTokens = in.totalOutputTokens() == null ? reply.outputTokens() : in.totalOutputTokens();
      if (turns.markCompleted(company, in.turnId(), stored.id(), inputTokens, outputTokens)) {
        turns.find(company, in.turnId()).ifPresent(metrics::turnEnded);
        facts.turnCompleted(company, in.turnId(), in.sessionId(), in.agentId(), stored, inputTokens, outputTokens);
      }
      journal.append(company, in.turnId(), "turn:final_message", TurnEventType.MESSAGE_COMPLETED,
          journal.data().put("message_id", stored.id()).put("content", stored.content()));
      journal.append(company, in.turnId(), "turn:completed", TurnEventType.TURN_COMPLETED,
          journal.data().put("status", "completed"));
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
