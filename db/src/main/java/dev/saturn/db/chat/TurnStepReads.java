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

  /** Empty when the company has no such turn. */
  public Optional<Start> start(CompanyId company, String turnId, String agentId) {
    Field<Boolean> knowledgeBase = KbDocumentRepository.hasReadyField(company, agentId);
    Field<Integer> lastSeq = TurnEventRepository.lastSeqField(company, turnId);
    return db.select(TURNS.AGENT_VERSION, AGENTS.STATUS, AGENTS.CURRENT_VERSION, AGENT_VERSIONS.CONFIG, knowledgeBase,
            lastSeq)
        .from(TURNS)
        .leftJoin(AGENTS).on(AGENTS.COMPANY_ID.eq(TURNS.COMPANY_ID).and(AGENTS.ID.eq(agentId)))
        .leftJoin(AGENT_VERSIONS).on(AGENT_VERSIONS.COMPANY_ID.eq(TURNS.COMPANY_ID)
            .and(AGENT_VERSIONS.AGENT_ID.eq(agentId))
            .and(AGENT_VERSIONS.VERSION.eq(DSL.coalesce(TURNS.AGENT_VERSION, AGENTS.CURRENT_VERSION))))
        .where(TURNS.COMPANY_ID.eq(company.value()).and(TURNS.ID.eq(turnId)))
        .fetchOptional(r -> new Start(
            r.get(TURNS.AGENT_VERSION),
            r.get(AGENTS.STATUS),
            r.get(AGENTS.CURRENT_VERSION),
            r.get(AGENT_VERSIONS.CONFIG) == null ? null : r.get(AGENT_VERSIONS.CONFIG).data(),
            Boolean.TRUE.equals(r.get(knowledgeBase)),
            r.get(lastSeq)));
  }

  /**
   * For a model call's prompt: the turn's question, the session's messages before it (oldest
   * first), the turn's own instructions (may be null), and whether passages were retrieved for it.
   * The question is empty when message {@code questionSeq} is not the turn's question.
   */
  public record Prompt(
      Optional<MessageRow> question, List<MessageRow> history, String instructions, boolean hasPassages,
      int lastEventSeq) {}

  /**
   * The session's last {@code historyLimit} messages before the turn's question and the question
   * itself (message {@code questionSeq}), each row carrying the turn's columns; empty when the
   * session has no message up to {@code questionSeq}.
   */
  public Optional<Prompt> prompt(
      CompanyId company, String sessionId, String turnId, long questionSeq, int historyLimit) {
    Field<Integer> lastSeq = TurnEventRepository.lastSeqField(company, turnId);
    Field<String> instructions = DSL.field(DSL.select(TURNS.INSTRUCTIONS).from(TURNS)
        .where(TURNS.COMPANY_ID.eq(company.value()).and(TURNS.ID.eq(turnId))));
    Field<Boolean> hasPassages = DSL.field(DSL.exists(DSL.selectOne().from(TURN_PASSAGES)
        .where(TURN_PASSAGES.COMPANY_ID.eq(company.value()).and(TURN_PASSAGES.TURN_ID.eq(turnId)))));
    Result<Record> newestFirst = db.select(MESSAGES.fields())
        .select(instructions, hasPassages, lastSeq)
        .from(MESSAGES)
        .where(MESSAGES.COMPANY_ID.eq(company.value())
            .and(MESSAGES.SESSION_ID.eq(sessionId))
            .and(MESSAGES.SEQ.le(questionSeq)))
        .orderBy(MESSAGES.SEQ.desc())
        .limit(historyLimit + 1)
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
    return Optional.of(new Prompt(question, rows, newest.get(instructions), Boolean.TRUE.equals(newest.get(hasPassages)),
        newest.get(lastSeq)));
  }

  /**
   * For {@code completeTurn}, after it marked the turn: the turn as stored, whether the usage event
   * {@code usageKey} is recorded, whether a webhook subscribes to {@code turn.completed}, the reply
   * target of the channel message that started the turn, and the turn's passages.
   */
  public record End(
      TurnRow turn, boolean usageRecorded, boolean webhookSubscribed, Optional<ReplyTarget> replyTarget,
      List<TurnPassage> passages, int lastEventSeq) {}

  /** Empty when the company has no such turn. */
  public Optional<End> end(CompanyId company, String turnId, String usageKey) {
    Field<Integer> lastSeq = TurnEventRepository.lastSeqField(company, turnId);
    Field<Boolean> usageRecorded = UsageEventRepository.recordedField(company, usageKey);
    Field<Boolean> subscribed = WebhookEndpointRepository.anyActiveFor(company, WebhookEventType.TURN_COMPLETED);
    List<Field<?>> fields = new ArrayList<>(List.of(TURNS.fields()));
    fields.addAll(List.of(lastSeq, usageRecorded, subscribed));
    fields.addAll(ChannelRepository.replyTargetFields());
    fields.addAll(List.of(TURN_PASSAGES.fields()));
    Result<Record> rows = db.select(fields)
        .from(TURNS)
        .leftJoin(CHANNEL_MESSAGES)
        .on(CHANNEL_MESSAGES.COMPANY_ID.eq(TURNS.COMPANY_ID).and(CHANNEL_MESSAGES.TURN_ID.eq(TURNS.ID)))
        .leftJoin(CHANNELS)
        .on(CHANNELS.COMPANY_ID.eq(CHANNEL_MESSAGES.COMPANY_ID).and(CHANNELS.ID.eq(CHANNEL_MESSAGES.CHANNEL_ID)))
        .leftJoin(TURN_PASSAGES)
        .on(TURN_PASSAGES.COMPANY_ID.eq(TURNS.COMPANY_ID).and(TURN_PASSAGES.TURN_ID.eq(TURNS.ID)))
        .where(TURNS.COMPANY_ID.eq(company.value()).and(TURNS.ID.eq(turnId)))
        .orderBy(TURN_PASSAGES.RANK_NO)
        .fetch();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Record first = rows.get(0);
    return Optional.of(new End(
        TurnRepository.toRow(first),
        Boolean.TRUE.equals(first.get(usageRecorded)),
        Boolean.TRUE.equals(first.get(subscribed)),
        ChannelRepository.replyTargetOf(first),
        passages(rows),
        first.get(lastSeq)));
  }

  private static List<TurnPassage> passages(Result<Record> rows) {
    return rows.stream().map(TurnPassageRepository::passage).filter(Objects::nonNull).toList();
  }
}
