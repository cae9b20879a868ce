package dev.saturn.api.approvals;

import dev.saturn.api.chat.ChatConsoleController;
import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's Approvals page: the company's pending tool calls, as {@code GET /v1/approvals} lists
 * them (arguments redacted), and the decision form, which goes through the same {@link ApprovalService}
 * (and its audit row) as {@code POST /v1/turns/{id}/approvals/{call_id}}. The Chat page posts its inline
 * decisions here too, and is sent back to the turn.
 */
@ConsoleController
class ApprovalConsoleController {

  static final String PATH = ConsoleController.ROOT + "/approvals";
  private static final int PAGE = 200;
  private static final int MAX_CALL_ID = 128;
  private static final Pattern DECISION = Pattern.compile("approve|deny");

  /** One row of the list. */
  record PendingItem(String turnId, String callId, String agent, String tool, String arguments, String age) {}

  private final ApprovalService approvals;
  private final AgentRepository agents;
  private final TurnRepository turns;
  private final JsonMapper json;
  private final Clock clock;

  ApprovalConsoleController(
      ApprovalService approvals, AgentRepository agents, TurnRepository turns, JsonMapper json, Clock clock) {
    this.approvals = approvals;
    this.agents = agents;
    this.turns = turns;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping(PATH)
  @Requires(Permission.APPROVALS_DECIDE)
  String list(Caller caller, Model model) {
    Instant now = clock.instant();
    Map<String, String> names = new HashMap<>();
    // The workflow closes a decided call's row a moment after it took the decision: not listed meanwhile.
    Object decided = model.getAttribute("decided");
    List<PendingItem> items = approvals.pending(caller, null, PAGE).items().stream()
        .filter(view -> !List.of(view.turnId(), view.callId()).equals(decided))
        .map(view -> new PendingItem(view.turnId(), view.callId(),
            names.computeIfAbsent(view.agentId(), id -> agents.find(caller.company(), id).map(AgentRow::name).orElse(id)),
            view.tool(), json.writerWithDefaultPrettyPrinter().writeValueAsString(view.arguments()),
            age(Duration.between(view.requestedAt(), now))))
        .toList();
    model.addAttribute("approvals", items);
    return "console/approvals";
  }

  /**
   * Approve or deny; back to this page with a notice, or, with {@code back=chat}, to the turn on the Chat
   * page. A call that is no longer waiting (decided already, timed out, the turn ended) is a notice too.
   */
  @PostMapping(ConsoleController.ROOT + "/turns/{turnId}/approvals/{callId}")
  @Requires(Permission.APPROVALS_DECIDE)
  String decide(
      Caller caller,
      @PathVariable String turnId,
      @PathVariable String callId,
      @RequestParam(defaultValue = "") String decision,
      @RequestParam(defaultValue = "") String back,
      RedirectAttributes redirect) {
    String notice;
    if (!DECISION.matcher(decision).matches()) {
      notice = "Choose Approve or Deny.";
    } else if (callId.length() > MAX_CALL_ID) {
      notice = "There is no such tool call waiting for a decision.";
    } else {
      try {
        ApprovalService.Decided decided = approvals.decide(caller, turnId, callId, decision, null);
        redirect.addFlashAttribute("decided", List.of(turnId, callId));
        notice = "The call of turn " + decided.turnId() + " was "
            + ("approve".equals(decided.decision()) ? "approved." : "denied.");
      } catch (ApiException refused) {
        notice = switch (refused.code()) {
          case CONFLICT -> "This call was already decided, or no longer waits for a decision: " + refused.detail();
          case NOT_FOUND -> "There is no such tool call waiting for a decision.";
          default -> refused.code() == ErrorCode.SERVICE_UNAVAILABLE
              ? "The turn did not take the decision in time; try again in a moment."
              : refused.detail();
        };
      }
    }
    redirect.addFlashAttribute("notice", notice);
    if ("chat".equals(back)) {
      var turn = turns.find(caller.company(), turnId);
      if (turn.isPresent()) {
        return "redirect:" + ChatConsoleController.view(turn.get().agentId(), turn.get().sessionId(), turnId);
      }
    }
    return "redirect:" + PATH;
  }

  /** "40 s", "3 min", "2 h", "5 d": how long the call has waited. */
  static String age(Duration waited) {
    long seconds = Math.max(0, waited.toSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min";
    }
    if (seconds < 86_400) {
      return seconds / 3600 + " h";
    }
    return seconds / 86_400 + " d";
  }
}
