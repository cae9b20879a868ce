package dev.saturn.activities.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.tools.JsonRedactor;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Writes a turn's events (what {@code GET /v1/turns/{id}/events} streams). Each event is keyed by
 * the step that writes it, so a retried activity does not write it twice; its data passes the
 * redaction policy on the way in, so nothing stored or streamed carries a secret.
 */
@Component
public class TurnJournal {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TurnEventRepository events;

  public TurnJournal(TurnEventRepository events) {
    this.events = events;
  }

  public ObjectNode data() {
    return JSON.createObjectNode();
  }

  public void append(CompanyId company, String turnId, String key, TurnEventType type, ObjectNode data) {
    events.appendOnce(company, turnId, key, type, JsonRedactor.redactTree(data, Set.of()).toString());
  }
}
