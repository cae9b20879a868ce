package dev.saturn.api.chat;

import dev.saturn.db.chat.MessageRow;
import java.time.Instant;

record MessageView(String id, String turnId, String role, String content, Instant createdAt) {

  static MessageView of(MessageRow row) {
    return new MessageView(row.id(), row.turnId(), row.role(), row.content(), row.createdAt());
  }
}
