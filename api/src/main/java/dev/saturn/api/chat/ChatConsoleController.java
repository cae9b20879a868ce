package dev.saturn.api.chat;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.ratelimit.StartsChatTurn;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.chat.SessionRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's Chat page: the company's enabled agents, an agent's sessions, a session's messages, and
 * a form that starts a turn through {@link TurnStarter} ({@link TurnChannel#CONSOLE}, keyed by the form's
 * own idempotency key, so a double submit starts one turn). With JavaScript the page then follows the
 * turn's events at {@code /console/turns/{id}/events} (the same {@link TurnEvents} and {@link
 * SseTurnStreams} as {@code GET /v1/turns/{id}/events}); without, the form waits for the turn as {@code
 * POST /v1/agents/{id}/chat} does and the page shows the result.
 */
@ConsoleController
public class ChatConsoleController {

  static final String PATH = ConsoleController.ROOT + "/chat";
  private static final int AGENTS = 200;
  private static final int SESSIONS = 50;
  /** The session's latest messages the page shows. */
  private static final int MESSAGES = 200;

  /** One message as the page shows it; citations link to their document. */
  record ShownMessage(String role, String content, List<MessageView.Citation> citations) {}

  /** A session in the list. */
  record ShownSession(String id, String startedAt, boolean current) {}

  /** A turn of the open session that is still running: the page follows it. */
  record LiveTurn(String id, String question, TurnView view) {}

  private final AgentRepository agents;
  private final SessionRepository sessions;
  private final MessageRepository messages;
  private final TurnRepository turns;
  private final TurnViews views;
  private final TurnStarter starter;
  private final TurnEvents events;
  private final SseTurnStreams sse;

  ChatConsoleController(
      AgentRepository agents, SessionRepository sessions, MessageRepository messages, TurnRepository turns,
      TurnViews views, TurnStarter starter, TurnEvents events, SseTurnStreams sse) {
    this.agents = agents;
    this.sessions = sessions;
    this.messages = messages;
    this.turns = turns;
    this.views = views;
    this.starter = starter;
    this.events = events;
    this.sse = sse;
  }

  @GetMapping(PATH)
  @Requires(Permission.CHAT)
  String page(
      Caller caller,
      @RequestParam(required = false) String agent,
      @RequestParam(required = false) String session,
      @RequestParam(required = false) String turn,
      Model model) {
    show(caller, agent, session, turn, model);
    return "console/chat";
  }

  /**
   * Starts the turn. The page's script sets {@code stream}: then the redirect is immediate and the page
   * streams the answer; without it this waits for the turn like the REST call does.
   */
  @PostMapping(PATH)
  @Requires(Permission.CHAT)
  @StartsChatTurn
  String send(
      Caller caller,
      @RequestParam(defaultValue = "") String agent,
      @RequestParam(required = false) String session,
      @RequestParam(defaultValue = "") String message,
      @RequestParam(required = false) String key,
      @RequestParam(defaultValue = "") String stream,
      Model model,
      HttpServletResponse response,
      RedirectAttributes redirect) {
    String sessionId = session == null || session.isBlank() ? null : session;
    String error = message.isBlank() ? "Write a message first." : null;
    if (error == null) {
      TurnStarter.StartTurn command = new TurnStarter.StartTurn(
          caller.company(), agent, sessionId, message, key == null || key.isBlank() ? null : key, TurnChannel.CONSOLE);
      try {
        TurnStarter.AcceptedTurn accepted;
        if (stream.isEmpty()) {
          TurnRow row = starter.startAndAwait(command);
          accepted = new TurnStarter.AcceptedTurn(caller.company(), row.id(), row.sessionId(), row.agentId(),
              row.workflowId(), row.status());
        } else {
          accepted = starter.start(command);
        }
        redirect.addFlashAttribute("question", message);
        return "redirect:" + view(accepted.agentId(), accepted.sessionId(), accepted.turnId());
      } catch (ApiException refused) {
        error = refused.detail();
        response.setStatus(refused.code().httpStatus());
      }
    } else {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
    }
    show(caller, agent, sessionId, null, model);
    model.addAttribute("messageError", error);
    model.addAttribute("draft", message);
    return "console/chat";
  }

  /** The turn's events, exactly as {@code GET /v1/turns/{id}/events} sends them. */
  @GetMapping(ConsoleController.ROOT + "/turns/{turnId}/events")
  @Requires(Permission.CHAT)
  SseEmitter events(
      Caller caller,
      @PathVariable String turnId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      HttpServletRequest request,
      HttpServletResponse response) {
    TurnEventStream stream = events.subscribe(caller.company(), turnId, TurnEventsController.parse(lastEventId));
    return sse.open(stream, request, response);
  }

  /** The page of a turn of a session: what the form redirects to, and where a decision sends the person back. */
  public static String view(String agentId, String sessionId, String turnId) {
    return UriComponentsBuilder.fromPath(PATH).queryParam("agent", agentId).queryParam("session", sessionId)
        .queryParam("turn", turnId).encode().build().toUriString();
  }

  private void show(Caller caller, String agentId, String sessionId, String turnId, Model model) {
    CompanyId company = caller.company();
    List<AgentRow> enabled = agents.listEnabled(company, AGENTS);
    AgentRow chosen = enabled.stream().filter(a -> a.id().equals(agentId)).findFirst()
        .orElse(agentId == null && !enabled.isEmpty() ? enabled.get(0) : null);
    if (agentId != null && chosen == null) {
      model.addAttribute("notice", "That agent is not among the company's enabled agents.");
    }
    SessionRow open = null;
    if (chosen != null && sessionId != null && !sessionId.isBlank()) {
      open = sessions.find(company, sessionId).filter(s -> s.agentId().equals(chosen.id()))
          .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
    LiveTurn live = null;
    if (open != null && turnId != null && !turnId.isBlank()) {
      String sessionOfTurn = open.id();
      TurnRow row = turns.find(company, turnId).filter(t -> t.sessionId().equals(sessionOfTurn))
          .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
      // Read before the messages: a turn that ends in between shows in both, never in neither.
      if (row.status() == TurnStatus.RUNNING) {
        Object flashed = model.getAttribute("question");
        String question = flashed instanceof String text ? text
            : messages.findByTurn(company, row.id(), "user").map(MessageRow::content).orElse("");
        live = new LiveTurn(row.id(), question, views.of(company, row));
      }
    }
    String liveId = live == null ? null : live.id();
    List<ShownMessage> shown = open == null ? List.of() : messages.history(company, open.id(), Long.MAX_VALUE, MESSAGES).stream()
        .filter(m -> ("user".equals(m.role()) || "assistant".equals(m.role())) && !m.asksForTools())
        .filter(m -> liveId == null || !liveId.equals(m.turnId()))
        .map(m -> {
          MessageView view = MessageView.of(m);
          return new ShownMessage(m.role(), m.content(), view.citations() == null ? List.of() : view.citations());
        })
        .toList();
    String openId = open == null ? null : open.id();
    List<ShownSession> listed = chosen == null ? List.of() : sessions.listForAgent(company, chosen.id(), SESSIONS).stream()
        .map(s -> new ShownSession(s.id(), s.createdAt().toString().substring(0, 16).replace('T', ' ') + " UTC",
            s.id().equals(openId)))
        .toList();
    model.addAttribute("agents", enabled);
    model.addAttribute("agent", chosen);
    model.addAttribute("sessions", listed);
    model.addAttribute("openSession", open);
    model.addAttribute("messages", shown);
    model.addAttribute("live", live);
    model.addAttribute("formKey", UUID.randomUUID().toString());
    model.addAttribute("canDecide", caller.can(Permission.APPROVALS_DECIDE));
  }
}
