package dev.saturn.db.channels;

import static dev.saturn.db.jooq.Tables.CHANNELS;
import static dev.saturn.db.jooq.Tables.CHANNEL_MESSAGES;
import static dev.saturn.db.jooq.Tables.CHANNEL_SESSIONS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.DuplicateKeys;
import dev.saturn.db.common.NewestFirst;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.springframework.stereotype.Repository;

/** Channels, their session mapping and the turns their messages started. */
@Repository
public class ChannelRepository {

  /** The turn an inbound message started. */
  public record ChannelMessage(String companyId, String turnId, String channelId, String webhookId, String sessionKey) {}

  /** Where the reply to a channel's message goes: its channel, that channel's endpoint, and what it answers. */
  public record ReplyTarget(String channelId, String endpointId, String webhookId, String sessionKey) {}

  private final DSLContext db;

  public ChannelRepository(DSLContext db) {
    this.db = db;
  }

  public void insert(CompanyId company, ChannelRow row) {
    db.insertInto(CHANNELS)
        .set(CHANNELS.ID, row.id())
        .set(CHANNELS.COMPANY_ID, company.value())
        .set(CHANNELS.AGENT_ID, row.agentId())
        .set(CHANNELS.NAME, row.name())
        .set(CHANNELS.ENDPOINT_ID, row.endpointId())
        .set(CHANNELS.CREATED_AT, Times.toDb(row.createdAt()))
        .set(CHANNELS.UPDATED_AT, Times.toDb(row.updatedAt()))
        .execute();
  }

  public Optional<ChannelRow> find(CompanyId company, String channelId) {
    return db.selectFrom(CHANNELS)
        .where(CHANNELS.COMPANY_ID.eq(company.value()).and(CHANNELS.ID.eq(channelId)))
        .fetchOptional()
        .map(ChannelRepository::toRow);
  }

  /**
   * A channel by id alone, for an inbound message: its signature is checked with this channel's
   * secret before anything else is read, and the company comes from the row. The one lookup of a
   * channel before its tenant is known.
   */
  public Optional<ChannelRow> findForInboundMessage(String channelId) {
    return db.selectFrom(CHANNELS).where(CHANNELS.ID.eq(channelId)).fetchOptional().map(ChannelRepository::toRow);
  }

  public Page<ChannelRow> list(CompanyId company, String cursor, int limit) {
    List<ChannelRow> rows = db.selectFrom(CHANNELS)
        .where(CHANNELS.COMPANY_ID.eq(company.value())
            .and(NewestFirst.after(cursor, CHANNELS.CREATED_AT, CHANNELS.ID)))
        .orderBy(CHANNELS.CREATED_AT.desc(), CHANNELS.ID.desc())
        .limit(limit + 1)
        .fetch(ChannelRepository::toRow);
    return NewestFirst.page(rows, limit, ChannelRow::createdAt, ChannelRow::id);
  }

  /** Deletes the channel with its session mapping and message links (the sessions and turns stay). */
  public boolean delete(CompanyId company, String channelId) {
    db.deleteFrom(CHANNEL_SESSIONS)
        .where(CHANNEL_SESSIONS.COMPANY_ID.eq(company.value()).and(CHANNEL_SESSIONS.CHANNEL_ID.eq(channelId)))
        .execute();
    db.deleteFrom(CHANNEL_MESSAGES)
        .where(CHANNEL_MESSAGES.COMPANY_ID.eq(company.value()).and(CHANNEL_MESSAGES.CHANNEL_ID.eq(channelId)))
        .execute();
    return db.deleteFrom(CHANNELS)
        .where(CHANNELS.COMPANY_ID.eq(company.value()).and(CHANNELS.ID.eq(channelId)))
        .execute() == 1;
  }

  /** The session an external conversation maps to. */
  public Optional<String> sessionFor(CompanyId company, String channelId, String sessionKey) {
    return db.select(CHANNEL_SESSIONS.SESSION_ID)
        .from(CHANNEL_SESSIONS)
        .where(CHANNEL_SESSIONS.COMPANY_ID.eq(company.value())
            .and(CHANNEL_SESSIONS.CHANNEL_ID.eq(channelId))
            .and(CHANNEL_SESSIONS.SESSION_KEY.eq(sessionKey)))
        .fetchOptional(CHANNEL_SESSIONS.SESSION_ID);
  }

  /** Maps the conversation to the session; @return false when it was mapped meanwhile (the first mapping wins) */
  public boolean mapSession(CompanyId company, String channelId, String sessionKey, String sessionId, Instant at) {
    return DuplicateKeys.insertOnce(() -> db.insertInto(CHANNEL_SESSIONS)
        .set(CHANNEL_SESSIONS.COMPANY_ID, company.value())
        .set(CHANNEL_SESSIONS.CHANNEL_ID, channelId)
        .set(CHANNEL_SESSIONS.SESSION_KEY, sessionKey)
        .set(CHANNEL_SESSIONS.SESSION_ID, sessionId)
        .set(CHANNEL_SESSIONS.CREATED_AT, Times.toDb(at))
        .execute());
  }

  public void recordMessage(CompanyId company, ChannelMessage message, Instant at) {
    db.insertInto(CHANNEL_MESSAGES)
        .set(CHANNEL_MESSAGES.COMPANY_ID, company.value())
        .set(CHANNEL_MESSAGES.TURN_ID, message.turnId())
        .set(CHANNEL_MESSAGES.CHANNEL_ID, message.channelId())
        .set(CHANNEL_MESSAGES.WEBHOOK_ID, message.webhookId())
        .set(CHANNEL_MESSAGES.SESSION_KEY, message.sessionKey())
        .set(CHANNEL_MESSAGES.CREATED_AT, Times.toDb(at))
        .execute();
  }

  /** The inbound message that started a turn, if a channel started it. */
  public Optional<ChannelMessage> messageOfTurn(CompanyId company, String turnId) {
    return db.selectFrom(CHANNEL_MESSAGES)
        .where(CHANNEL_MESSAGES.COMPANY_ID.eq(company.value()).and(CHANNEL_MESSAGES.TURN_ID.eq(turnId)))
        .fetchOptional()
        .map(r -> new ChannelMessage(r.getCompanyId(), r.getTurnId(), r.getChannelId(), r.getWebhookId(), r.getSessionKey()));
  }

  /**
   * The columns a read of a turn selects, after joining {@code channel_messages} by the turn and
   * {@code channels} by the message's channel (left joins), for {@link #replyTargetOf}.
   */
  public static List<Field<?>> replyTargetFields() {
    return List.of(CHANNELS.ID, CHANNELS.ENDPOINT_ID, CHANNEL_MESSAGES.WEBHOOK_ID, CHANNEL_MESSAGES.SESSION_KEY);
  }

  /** Empty for a turn no channel message started, or whose channel was deleted since. */
  public static Optional<ReplyTarget> replyTargetOf(Record r) {
    return r.get(CHANNELS.ID) == null ? Optional.empty() : Optional.of(new ReplyTarget(
        r.get(CHANNELS.ID), r.get(CHANNELS.ENDPOINT_ID), r.get(CHANNEL_MESSAGES.WEBHOOK_ID),
        r.get(CHANNEL_MESSAGES.SESSION_KEY)));
  }

  private static ChannelRow toRow(Record r) {
    return new ChannelRow(
        r.get(CHANNELS.ID),
        r.get(CHANNELS.COMPANY_ID),
        r.get(CHANNELS.AGENT_ID),
        r.get(CHANNELS.NAME),
        r.get(CHANNELS.ENDPOINT_ID),
        Times.fromDb(r.get(CHANNELS.CREATED_AT)),
        Times.fromDb(r.get(CHANNELS.UPDATED_AT)));
  }
}
