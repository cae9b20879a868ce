package dev.saturn.db.chat;

import java.time.Instant;

/** One event of a turn; {@code seq} counts per turn from 1; {@code dataJson} is redacted. */
public record TurnEventRow(String turnId, int seq, TurnEventType type, String dataJson, Instant createdAt) {}
