package dev.saturn.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.chat.TurnView;
import java.util.List;

/**
 * SATURN's own facts about the turn behind an OpenAI-shaped answer, in a {@code saturn} member that
 * OpenAI clients ignore: the turn and session (continue the conversation by naming the session),
 * the native status, and while the turn runs, its pending approvals and where to read the outcome.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record TurnExtension(
    String turnId, String sessionId, String agentId, String status, List<TurnView.PendingApproval> pendingApprovals,
    String poll) {

  static final String RESPONSE_PREFIX = "resp_";

  static TurnExtension of(TurnView view) {
    boolean ended = "completed".equals(view.status()) || "failed".equals(view.status());
    return new TurnExtension(view.turnId(), view.sessionId(), view.agentId(), view.status(), view.pendingApprovals(),
        ended ? null : "/v1/responses/" + RESPONSE_PREFIX + view.turnId());
  }

  /** What a person reads in place of an answer while the turn has none yet. */
  static String waitingText(TurnView view) {
    List<TurnView.PendingApproval> pending = view.pendingApprovals();
    String poll = "GET /v1/responses/" + RESPONSE_PREFIX + view.turnId();
    if (pending != null && !pending.isEmpty()) {
      TurnView.PendingApproval first = pending.get(0);
      return "Turn " + view.turnId() + " is waiting for a person to approve a call of the tool '" + first.tool()
          + "' (POST /v1/turns/" + view.turnId() + "/approvals/" + first.callId() + "); then read the answer with "
          + poll + ".";
    }
    return "Turn " + view.turnId() + " is still running; read the answer with " + poll + ".";
  }
}
