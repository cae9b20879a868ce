package dev.saturn.db.chat;

import static dev.saturn.db.jooq.Tables.MESSAGES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Ids;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

@Repository
public class MessageRepository {

  private final DSLContext db;
  private final Clock clock;

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
    db.insertInto(MESSAGES)
        .set(MESSAGES.ID, Ids.newId())
        .set(MESSAGES.COMPANY_ID, company.value())
        .set(MESSAGES.SESSION_ID, sessionId)
        .set(MESSAGES.TURN_ID, turnId)
        .set(MESSAGES.ROLE, role)
        .set(MESSAGES.CONTENT, content)
        .set(MESSAGES.TOKEN_COUNT, tokenCount)
        .set(MESSAGES.CREATED_AT, Times.toDb(clock.instant()))
        .onDuplicateKeyUpdate()
        .set(MESSAGES.TURN_ID, MESSAGES.TURN_ID)
        .execute();
    return findByTurn(company, turnId, role).orElseThrow();
  }

  public Optional<MessageRow> findByTurn(CompanyId company, String turnId, String role) {
    return db.selectFrom(MESSAGES)
        .where(MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.TURN_ID.eq(turnId)).and(MESSAGES.ROLE.eq(role)))
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


  private static MessageRow toRow(Record r) {
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
        r.get(MESSAGES.CITATIONS) == null ? null : r.get(MESSAGES.CITATIONS).data());
  }

  /** Sets the message's citations (a JSON array); setting the same value again changes nothing. */
  public void setCitations(CompanyId company, String messageId, String citationsJson) {
    db.update(MESSAGES)
        .set(MESSAGES.CITATIONS, org.jooq.JSON.valueOf(citationsJson))
        .where(MESSAGES.COMPANY_ID.eq(company.value()).and(MESSAGES.ID.eq(messageId)))
        .execute();
  }
}
