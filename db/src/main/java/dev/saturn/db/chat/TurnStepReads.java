package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.AGENTS;
import static dev.saturn.db.jooq.Tables.AGENT_VERSIONS;
import static dev.saturn.db.jooq.Tables.CHANNELS;
import static dev.saturn.db.jooq.Tables.CHANNEL_MESSAGES;
import static dev.saturn.db.jooq.Tables.MESSAGES;
import static dev.saturn.db.jooq.Tables.TURNS;
import static dev.saturn.db.jooq.Tables.TURN_PASSAGES;

import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.channels.ChannelRepository;
import dev.saturn.db.channels.ChannelRepository.ReplyTarget;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.RenderedSelect;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.TurnPassage;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.db.webhooks.WebhookEndpointRepository;
import dev.saturn.db.webhooks.WebhookEventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * What each step of a chat turn reads, one statement per step: the turn row with what the step
 * needs of other features (its agent and pinned config, knowledge-base passages, the reply target
 * of a channel message, webhook subscriptions, the journal's last seq) as joins and subqueries, so
 * a plain turn pays no extra round trip for features it does not use. Plain (non-locking) reads:
 * the journal's last seq is a guess that {@link TurnEventRepository#appendAfter} checks.
 */
@Repository
public class TurnStepReads {

  private final DSLContext db;

  public TurnStepReads(DSLContext db) {
    this.db = db;
  }

  /**
   * For {@code startTurn}: the turn's pinned version (null before the first start), the agent
   * (null status: no such agent), the config of the version the turn is or would be pinned to
   * (null if that version does not exist), whether the agent has a ready knowledge-base document.
   */
  public record Start(
      Integer pinnedVersion, String agentStatus, Integer currentVersion, String configJson, boolean knowledgeBase,
      int lastEventSeq) {

    public boolean agentFound() {
      return agentStatus != null;
    }

    public boolean agentEnabled() {
      return AgentRow.ENABLED.equals(agentStatus);
    }

    /** The version the turn is pinned to, or would be by this start. */
    public Integer version() {
      return pinnedVersion != null ? pinnedVersion : currentVersion;
    }
  }

  /**
   * The three statements are rendered once ({@link RenderedSelect}): built here with placeholders,
   * their constants inline, so each call binds only its own values (the company first of each
   * subquery and of the main query's predicate).
   */
  private static final CompanyId COMPANY = CompanyId.of("placeholder");

  private static final Field<Boolean> START_KNOWLEDGE_BASE = KbDocumentRepository.hasReadyField(COMPANY, "").as("kb");
  private static final Field<Integer> LAST_SEQ = TurnEventRepository.lastSeqField(COMPANY, "").as("last_seq");

  /** Binds company, agent (knowledge base), company, turn (last seq), agent, agent (joins), company, turn. */
  private final RenderedSelect start = new RenderedSelect(db -> db
      .select(TURNS.AGENT_VERSION, AGENTS.STATUS, AGENTS.CURRENT_VERSION, AGENT_VERSIONS.CONFIG, START_KNOWLEDGE_BASE,
          LAST_SEQ)
      .from(TURNS)
      .leftJoin(AGENTS).on(AGENTS.COMPANY_ID.eq(TURNS.COMPANY_ID).and(AGENTS.ID.eq(DSL.val(""))))
      .leftJoin(AGENT_VERSIONS).on(AGENT_VERSIONS.COMPANY_ID.eq(TURNS.COMPANY_ID)
          .and(AGENT_VERSIONS.AGENT_ID.eq(DSL.val("")))
          .and(AGENT_VERSIONS.VERSION.eq(DSL.coalesce(TURNS.AGENT_VERSION, AGENTS.CURRENT_VERSION))))
      .where(TURNS.COMPANY_ID.eq(DSL.val("")).and(TURNS.ID.eq(DSL.val("")))));

  /** Empty when the company has no such turn. */
  public Optional<Start> start(CompanyId company, String turnId, String agentId) {
    String c = company.value();
    return start.with(db, c, agentId, c, turnId, agentId, agentId, c, turnId)
        .fetchOptional(r -> new Start(
            r.get(TURNS.AGENT_VERSION),
            r.get(AGENTS.STATUS),
            r.get(AGENTS.CURRENT_VERSION),
            r.get(AGENT_VERSIONS.CONFIG) == null ? null : r.get(AGENT_VERSIONS.CONFIG).data(),
            Boolean.TRUE.equals(r.get(START_KNOWLEDGE_BASE)),
            r.get(LAST_SEQ)));
  }

  /**
   * For a model call's prompt: the turn's question, the session's messages before it (oldest
   * first), the turn's own instructions (may be null), and whether passages were retrieved for it.
   * The question is empty when message {@code questionSeq} is not the turn's question.
   */
  public record Prompt(
      Optional<MessageRow> question, List<MessageRow> history, String instructions, boolean hasPassages,
      int lastEventSeq) {}

  private static final Field<String> INSTRUCTIONS = DSL.field(DSL.select(TURNS.INSTRUCTIONS).from(TURNS)
      .where(TURNS.COMPANY_ID.eq(DSL.val("")).and(TURNS.ID.eq(DSL.val(""))))).as("turn_instructions");
  private static final Field<Boolean> HAS_PASSAGES = DSL.field(DSL.exists(DSL.selectOne().from(TURN_PASSAGES)
      .where(TURN_PASSAGES.COMPANY_ID.eq(DSL.val("")).and(TURN_PASSAGES.TURN_ID.eq(DSL.val("")))))).as("has_passages");

  /**
   * Binds company, turn (instructions), company, turn (passages), company, turn (last seq), company,
   * session, question seq, then the row limit.
   */
  private final RenderedSelect prompt = new RenderedSelect(db -> db.select(MESSAGES.fields())
      .select(INSTRUCTIONS, HAS_PASSAGES, LAST_SEQ)
      .from(MESSAGES)
      .where(MESSAGES.COMPANY_ID.eq(DSL.val(""))
          .and(MESSAGES.SESSION_ID.eq(DSL.val("")))
          .and(MESSAGES.SEQ.le(DSL.val(0L))))
      .orderBy(MESSAGES.SEQ.desc())
      .limit(DSL.val(1)));

  /**
   * The session's last {@code historyLimit} messages before the turn's question and the question
   * itself (message {@code questionSeq}), each row carrying the turn's columns; empty when the
   * session has no message up to {@code questionSeq}.
   */
  public Optional<Prompt> prompt(
      CompanyId company, String sessionId, String turnId, long questionSeq, int historyLimit) {
    String c = company.value();
    Result<Record> newestFirst = prompt.with(db, c, turnId, c, turnId, c, turnId, c, sessionId, questionSeq, historyLimit + 1)
        .fetch();
    if (newestFirst.isEmpty()) {
      return Optional.empty();
    }
    Record newest = newestFirst.get(0);
    List<MessageRow> rows = new ArrayList<>(newestFirst.map(MessageRepository::toRow));
    Collections.reverse(rows);
    Optional<MessageRow> question = Optional.empty();
    MessageRow last = rows.get(rows.size() - 1);
    if (last.seq() == questionSeq) {
      rows.remove(rows.size() - 1);
      if (turnId.equals(last.turnId()) && "user".equals(last.role())) {
        question = Optional.of(last);
      }
    } else if (rows.size() > historyLimit) {
      rows.remove(0);
    }
    return Optional.of(new Prompt(question, rows, newest.get(INSTRUCTIONS), Boolean.TRUE.equals(newest.get(HAS_PASSAGES)),
        newest.get(LAST_SEQ)));
  }

  /**
   * For {@code completeTurn}, after it marked the turn: the turn as stored, whether the usage event
   * {@code usageKey} is recorded, whether a webhook subscribes to {@code turn.completed}, the reply
   * target of the channel message that started the turn, and the turn's passages.
   */
  public record End(
      TurnRow turn, boolean usageRecorded, boolean webhookSubscribed, Optional<ReplyTarget> replyTarget,
      List<TurnPassage> passages, int lastEventSeq) {}

  private static final Field<Boolean> USAGE_RECORDED = UsageEventRepository.recordedField(COMPANY, "").as("usage_recorded");
  private static final Field<Boolean> SUBSCRIBED =
      WebhookEndpointRepository.anyActiveFor(COMPANY, WebhookEventType.TURN_COMPLETED).as("subscribed");

  /** Binds company, turn (last seq), company, usage key (usage), company (webhooks), company, turn. */
  private final RenderedSelect end = new RenderedSelect(db -> {
    List<Field<?>> fields = new ArrayList<>(List.of(TURNS.fields()));
    fields.addAll(List.of(LAST_SEQ, USAGE_RECORDED, SUBSCRIBED));
    fields.addAll(ChannelRepository.replyTargetFields());
    fields.addAll(List.of(TURN_PASSAGES.fields()));
    return db.select(fields)
        .from(TURNS)
        .leftJoin(CHANNEL_MESSAGES)
        .on(CHANNEL_MESSAGES.COMPANY_ID.eq(TURNS.COMPANY_ID).and(CHANNEL_MESSAGES.TURN_ID.eq(TURNS.ID)))
        .leftJoin(CHANNELS)
        .on(CHANNELS.COMPANY_ID.eq(CHANNEL_MESSAGES.COMPANY_ID).and(CHANNELS.ID.eq(CHANNEL_MESSAGES.CHANNEL_ID)))
        .leftJoin(TURN_PASSAGES)
        .on(TURN_PASSAGES.COMPANY_ID.eq(TURNS.COMPANY_ID).and(TURN_PASSAGES.TURN_ID.eq(TURNS.ID)))
        .where(TURNS.COMPANY_ID.eq(DSL.val("")).and(TURNS.ID.eq(DSL.val(""))))
        .orderBy(TURN_PASSAGES.RANK_NO);
  });

  /** Empty when the company has no such turn. */
  public Optional<End> end(CompanyId company, String turnId, String usageKey) {
    String c = company.value();
    Result<Record> rows = end.with(db, c, turnId, c, usageKey, c, c, turnId).fetch();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Record first = rows.get(0);
    return Optional.of(new End(
        TurnRepository.toRow(first),
        Boolean.TRUE.equals(first.get(USAGE_RECORDED)),
        Boolean.TRUE.equals(first.get(SUBSCRIBED)),
        ChannelRepository.replyTargetOf(first),
        passages(rows),
        first.get(LAST_SEQ)));
  }

  private static List<TurnPassage> passages(Result<Record> rows) {
    return rows.stream().map(TurnPassageRepository::passage).filter(Objects::nonNull).toList();
  }
}
