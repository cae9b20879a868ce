package dev.saturn.activities.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.tools.JsonRedactor;
import dev.saturn.db.chat.TurnEventRepository;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import java.util.List;
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

  /** An event for {@link #appendAfter}. */
  public record Entry(String key, TurnEventType type, ObjectNode data) {}

  /**
   * Appends {@code entries} in order, in one insert when {@code lastSeq} (read with the turn, or
   * returned by the previous append) is still the turn's last seq; in the caller's transaction.
   *
   * @return the seq of the last entry, for the next append of this writer
   */
  public int appendAfter(CompanyId company, String turnId, int lastSeq, List<Entry> entries) {
    return events.appendAfter(company, turnId, lastSeq, entries.stream()
        .map(e -> new TurnEventRepository.NewEvent(
            e.key(), e.type(), JsonRedactor.redactTree(e.data(), Set.of()).toString()))
        .toList());
  }
}
