package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.MESSAGES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.RenderedStatement;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import dev.saturn.db.common.DuplicateKeys;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import dev.saturn.db.jooq.tables.records.MessagesRecord;
import org.jooq.DSLContext;
import org.jooq.InsertSetMoreStep;
import org.jooq.JSON;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
public class MessageRepository {

  /** The msg_key of a turn's question and final answer. */
  private static final String FINAL = "";
  /** The msg_key prefix of the earlier conversation a channel handed over with a turn. */
  private static final String PRIOR = "prior:";

  private final DSLContext db;
  private final Clock clock;
  /**
   * A turn's question or answer (every turn writes two), rendered once: binds id, company, session,
   * turn, role, content, token count, created at, then the message key.
   */
  private final RenderedStatement insertFinal = new RenderedStatement(
      db -> newRow(db, "", CompanyId.of("placeholder"), "", "", "", FINAL, "", 0, LocalDateTime.MIN).returningResult(MESSAGES.SEQ),
      MESSAGES.SEQ);

  public MessageRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Stores the turn's message for {@code role} unless it is already there, and returns the stored
   * one: (turn, role) is unique, so a retried activity gets the first row back instead of a copy.
   */
  public MessageRow insertOnce(
      CompanyId company, String sessionId, String turnId, String role, String content, Integer tokenCount) {
    String id = Ids.newId();
    LocalDateTime createdAt = Times.toDb(clock.instant());
    // One statement when the row is new (its seq comes back with the insert); the first row on a retry.
    Long[] seq = new Long[1];
    boolean inserted = DuplicateKeys.insertOnce(() -> {
      seq[0] = insertFinal.returning(
              db, id, company.value(), sessionId, turnId, role, content, tokenCount, createdAt, FINAL)
          .fetchOne(MESSAGES.SEQ);
      return seq[0] == null ? 0 : 1;
    });
    if (!inserted) {
      return findByTurn(company, turnId, role).orElseThrow();
    }
    return new MessageRow(id, company.value(), sessionId, turnId, seq[0], role, content, tokenCount,
        Times.fromDb(createdAt), null, null, null, null, null);
  }

  /** The assistant message of tool-loop step {@code step}: what the model said and the calls it asked for. */
  public MessageRow insertToolStepOnce(
      CompanyId company, String sessionId, String turnId, int step, String content, String toolCallsJson) {
    String key = "step:" + step;
    insert(company, sessionId, turnId, "assistant", key, content == null ? "" : content, null, toolCallsJson, null, null,
        null);
    return findByKey(company, turnId, "assistant", key).orElseThrow();
  }

  /**
   * The result of one tool call, as the model reads it, with what the call came to
   * ({@code toolResultJson}, may be null). The first row stored for the call wins: a later store
   * (a retry, or the workflow recording a failure after losing the activity that had stored the
   * real result) gets that row back.
   */
  public MessageRow insertToolResultOnce(
      CompanyId company, String sessionId, String turnId, String callId, String toolName, String content,
      String toolResultJson) {
    String key = toolResultKey(callId);
    insert(company, sessionId, turnId, MessageRow.TOOL, key, content, null, null, callId, toolName, toolResultJson);
    return findByKey(company, turnId, MessageRow.TOOL, key).orElseThrow();
  }

  /** The stored result of one tool call of the turn, if any. */
  public Optional<MessageRow> findToolResult(CompanyId company, String turnId, String callId) {
    return findByKey(company, turnId, MessageRow.TOOL, toolResultKey(callId));
  }

  private static String toolResultKey(String callId) {
    return "call:" + callId;
  }

  /**
   * Message {@code index} of the conversation a client had before this turn (an OpenAI-style
   * request's earlier messages), stored with the turn so the model reads it as session history.
   * Written when the turn is accepted, before its question, so it sorts before it; (turn, role,
   * index) is unique, so storing it again returns the first row.
   */
  public MessageRow insertPriorOnce(
      CompanyId company, String sessionId, String turnId, int index, String role, String content) {
    String key = PRIOR + index;
    insert(company, sessionId, turnId, role, key, content, null, null, null, null, null);
    return findByKey(company, turnId, role, key).orElseThrow();
  }

  /** The turn's tool-loop messages (tool-call requests and results), in order. */
  public List<MessageRow> toolMessages(CompanyId company, String turnId) {
    return db.selectFrom(MESSAGES)
        .where(MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.TURN_ID.eq(turnId)).and(MESSAGES.MSG_KEY.ne(FINAL))
            .and(MESSAGES.MSG_KEY.notLike(PRIOR + "%")))
        .orderBy(MESSAGES.SEQ.asc())
        .fetch(MessageRepository::toRow);
  }

  private void insert(
      CompanyId company, String sessionId, String turnId, String role, String key, String content, Integer tokenCount,
      String toolCallsJson, String toolCallId, String toolName, String toolResultJson) {
    newRow(Ids.newId(), company, sessionId, turnId, role, key, content, tokenCount, Times.toDb(clock.instant()))
        .set(MESSAGES.TOOL_CALLS, toolCallsJson == null ? null : JSON.valueOf(toolCallsJson))
        .set(MESSAGES.TOOL_CALL_ID, toolCallId)
        .set(MESSAGES.TOOL_NAME, toolName)
        .set(MESSAGES.TOOL_RESULT, toolResultJson == null ? null : JSON.valueOf(toolResultJson))
        .onDuplicateKeyUpdate()
        .set(MESSAGES.TURN_ID, MESSAGES.TURN_ID)
        .execute();
  }

  private InsertSetMoreStep<MessagesRecord> newRow(String id, CompanyId company, String sessionId, String turnId,
      String role, String key, String content, Integer tokenCount, LocalDateTime createdAt) {
    return newRow(db, id, company, sessionId, turnId, role, key, content, tokenCount, createdAt);
  }

  private static InsertSetMoreStep<MessagesRecord> newRow(DSLContext db, String id, CompanyId company, String sessionId,
      String turnId, String role, String key, String content, Integer tokenCount, LocalDateTime createdAt) {
    return db.insertInto(MESSAGES)
        .set(MESSAGES.ID, id)
        .set(MESSAGES.COMPANY_ID, company.value())
        .set(MESSAGES.SESSION_ID, sessionId)
        .set(MESSAGES.TURN_ID, turnId)
        .set(MESSAGES.ROLE, role)
        .set(MESSAGES.CONTENT, content)
        .set(MESSAGES.TOKEN_COUNT, tokenCount)
        .set(MESSAGES.CREATED_AT, createdAt)
        .set(MESSAGES.MSG_KEY, key);
  }

  /** The turn's question ({@code user}) or final answer ({@code assistant}). */
  public Optional<MessageRow> findByTurn(CompanyId company, String turnId, String role) {
    return findByKey(company, turnId, role, FINAL);
  }

  private Optional<MessageRow> findByKey(CompanyId company, String turnId, String role, String key) {
    return db.selectFrom(MESSAGES)
        .where(MESSAGES.COMPANY_ID.eq(company.value())
            .and(MESSAGES.TURN_ID.eq(turnId))
            .and(MESSAGES.ROLE.eq(role))
            .and(MESSAGES.MSG_KEY.eq(key)))
        .fetchOptional()
        .map(MessageRepository::toRow);
  }

  public Optional<MessageRow> find(CompanyId company, String messageId) {
    return db.selectFrom(MESSAGES)
        .where(MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.ID.eq(messageId)))
        .fetchOptional()
        .map(MessageRepository::toRow);
  }

  /** The last {@code limit} messages of the session before {@code beforeSeq}, oldest first. */
  public List<MessageRow> history(CompanyId company, String sessionId, long beforeSeq, int limit) {
    List<MessageRow> newestFirst = db.selectFrom(MESSAGES)
        .where(MESSAGES.COMPANY_ID.eq(company.value())
            .and(MESSAGES.SESSION_ID.eq(sessionId))
            .and(MESSAGES.SEQ.lt(beforeSeq)))
        .orderBy(MESSAGES.SEQ.desc())
        .limit(limit)
        .fetch(MessageRepository::toRow);
    List<MessageRow> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  /**
   * Oldest first. The cursor names the last message of the previous page by id: seq is a counter
   * shared by all tenants, so it never leaves the database.
   */
  public Page<MessageRow> list(CompanyId company, String sessionId, String cursor, int limit) {
    Condition where = MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.SESSION_ID.eq(sessionId));
    if (cursor != null) {
      long afterSeq = db.select(MESSAGES.SEQ)
          .from(MESSAGES)
          .where(where.and(MESSAGES.ID.eq(Cursors.decode(cursor))))
          .fetchOptional(MESSAGES.SEQ)
          .orElseThrow(Cursors.InvalidCursorException::new);
      where = where.and(MESSAGES.SEQ.gt(afterSeq));
    }
    List<MessageRow> rows = db.selectFrom(MESSAGES)
        .where(where)
        .orderBy(MESSAGES.SEQ.asc())
        .limit(limit + 1)
        .fetch(MessageRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    return new Page<>(rows.subList(0, limit), Cursors.encode(rows.get(limit - 1).id()));
  }

  public int countByTurn(CompanyId company, String turnId) {
    return db.fetchCount(MESSAGES, MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.TURN_ID.eq(turnId)));
  }


  static MessageRow toRow(Record r) {
    return new MessageRow(
        r.get(MESSAGES.ID),
        r.get(MESSAGES.COMPANY_ID),
        r.get(MESSAGES.SESSION_ID),
        r.get(MESSAGES.TURN_ID),
        r.get(MESSAGES.SEQ),
        r.get(MESSAGES.ROLE),
        r.get(MESSAGES.CONTENT),
        r.get(MESSAGES.TOKEN_COUNT),
        Times.fromDb(r.get(MESSAGES.CREATED_AT)),
        r.get(MESSAGES.TOOL_CALLS) == null ? null : r.get(MESSAGES.TOOL_CALLS).data(),
        r.get(MESSAGES.TOOL_CALL_ID),
        r.get(MESSAGES.TOOL_NAME),
        r.get(MESSAGES.CITATIONS) == null ? null : r.get(MESSAGES.CITATIONS).data(),
        r.get(MESSAGES.TOOL_RESULT) == null ? null : r.get(MESSAGES.TOOL_RESULT).data());
  }

  /** Sets the message's citations (a JSON array); setting the same value again changes nothing. */
  public void setCitations(CompanyId company, String messageId, String citationsJson) {
    db.update(MESSAGES)
        .set(MESSAGES.CITATIONS, org.jooq.JSON.valueOf(citationsJson))
        .where(MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.ID.eq(messageId)))
        .execute();
  }
}
