package dev.saturn.api.chat;

import dev.saturn.api.web.Problem;
import dev.saturn.db.chat.TurnEventRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A journal row as clients see it. Most events show their stored (redacted) data; the last one
 * shows what the non-streaming call answers, built when it is read: {@code turn.completed} the
 * turn view, {@code turn.failed} the problem body. So a stream and {@code POST .../chat} never
 * disagree, and the journal keeps only facts.
 */
@Component
class TurnEventBodies {

  private final TurnRepository turns;
  private final TurnViews views;
  private final JsonMapper json;

  TurnEventBodies(TurnRepository turns, TurnViews views, JsonMapper json) {
    this.turns = turns;
    this.views = views;
    this.json = json;
  }

  TurnEvent of(CompanyId company, TurnEventRow row) {
    JsonNode data = switch (row.type()) {
      case TURN_COMPLETED -> ended(company, row, TurnStatus.COMPLETED).map(turn -> view(company, turn))
          .orElseGet(() -> stored(row));
      case TURN_FAILED -> ended(company, row, TurnStatus.FAILED).map(this::problem).orElseGet(() -> stored(row));
      default -> stored(row);
    };
    return new TurnEvent(row.seq(), row.type(), data);
  }

  private JsonNode view(CompanyId company, TurnRow turn) {
    return json.valueToTree(views.of(company, turn));
  }

  /** The problem body {@code POST .../chat} answers a failed turn with (without request id and instance). */
  private JsonNode problem(TurnRow turn) {
    ErrorCode code = ErrorCode.fromType(turn.errorCode());
    String detail = "Turn " + turn.id() + " failed: " + TurnErrors.publicMessage(turn.errorCode(), turn.errorMessage());
    return json.valueToTree(Problem.of(code, detail, List.of(), null));
  }

  private Optional<TurnRow> ended(CompanyId company, TurnEventRow row, TurnStatus status) {
    return turns.find(company, row.turnId()).filter(turn -> turn.status() == status);
  }

  private JsonNode stored(TurnEventRow row) {
    return json.readTree(row.dataJson());
  }
}
