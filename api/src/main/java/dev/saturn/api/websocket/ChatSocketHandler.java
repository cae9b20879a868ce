package dev.saturn.api.websocket;

import dev.saturn.api.approvals.ApprovalService;
import dev.saturn.api.chat.TurnChannel;
import dev.saturn.api.chat.TurnEvent;
import dev.saturn.api.chat.TurnEventStream;
import dev.saturn.api.chat.TurnEventsProperties;
import dev.saturn.api.chat.TurnStarter;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.identity.BearerToken;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.CallerAuthentication;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.ratelimit.ChatTurnLimit;
import dev.saturn.api.security.AuthenticatesItself;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.api.web.Problem;
import dev.saturn.api.web.RequestContext;
import dev.saturn.api.web.RequestIds;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.workflows.common.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chat WebSocket ({@code /v1/ws}; frames in docs/api.md, "WebSocket"). A socket first
 * authenticates (an {@code auth} frame, or the {@code bearer.<token>} subprotocol) with the same
 * credentials as {@code Authorization: Bearer}; a failed or missing authentication gets an error
 * frame and close 1008. Then {@code chat} frames start turns through {@link TurnStarter} (channel
 * {@link TurnChannel#WEBSOCKET}: quota, message size, open-stream ceiling as on REST) after the
 * caller's chat-turn rate-limit buckets ({@link ChatTurnLimit}); each turn's events go out as
 * {@code event} frames, from a small pool of writer threads, one drain per turn at a time; all
 * sends of a socket pass one {@link ConcurrentWebSocketSessionDecorator}, so frames never
 * interleave. {@code approval} frames decide a pending tool call as {@code POST
 * /v1/turns/{id}/approvals/{callId}} does. The token is checked again on every {@code chat} and
 * {@code approval} frame, so a revoked key or an expired access token stops a socket as it stops
 * REST calls. A bad frame gets an error frame carrying the problem body; the socket stays open.
 */
@Component
class ChatSocketHandler extends TextWebSocketHandler implements AuthenticatesItself, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
  private static final String INSTANCE = WebSocketConfiguration.PATH;
  private static final int EVENTS_PER_DRAIN = 100;
  private static final int MAX_ID_CHARS = 128;
  private static final int MAX_REASON_CHARS = 1000;
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "auth", Set.of("type", "ref", "token"),
      "chat", Set.of("type", "ref", "agent_id", "session_id", "message", "idempotency_key"),
      "approval", Set.of("type", "ref", "turn_id", "call_id", "decision", "reason"),
      "ping", Set.of("type", "ref"));

  private final JsonMapper json;
  private final AuthenticationManager authentication;
  private final TurnStarter starter;
  private final ApprovalService approvals;
  private final ChatTurnLimit chatTurnLimit;
  private final WebSocketProperties properties;
  private final ThreadPoolExecutor writers;
  private final ScheduledExecutorService timers;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  ChatSocketHandler(
      JsonMapper json, AuthenticationManager bearerAuthenticationManager, TurnStarter starter, ApprovalService approvals,
      ChatTurnLimit chatTurnLimit, WebSocketProperties properties, TurnEventsProperties events) {
    this.json = json;
    this.authentication = bearerAuthenticationManager;
    this.starter = starter;
    this.approvals = approvals;
    this.chatTurnLimit = chatTurnLimit;
    this.properties = properties;
    AtomicInteger count = new AtomicInteger();
    // Unbounded queue: at most one task per open turn stream, and those are bounded per company.
    this.writers = new ThreadPoolExecutor(events.writerThreads(), events.writerThreads(), 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), runnable -> daemon(runnable, "turn-events-ws-" + count.incrementAndGet()));
    this.writers.allowCoreThreadTimeOut(true);
    this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "websocket-auth-timeout"));
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** One socket: its sender, its caller once authenticated, the turns it streams. */
  private final class Connection {
    final WebSocketSession session;
    final Map<String, TurnWriter> turns = new ConcurrentHashMap<>();
    volatile String token;
    volatile Caller caller;

    Connection(WebSocketSession session) {
      this.session = session;
    }

    void send(ObjectNode frame) {
      try {
        session.sendMessage(new TextMessage(json.writeValueAsString(frame)));
      } catch (IOException | IllegalStateException e) {
        // The decorator closed a client that took nothing for too long, or the client left.
        log.debug("websocket {}: frame not sent: {}", session.getId(), e.toString());
        close(CloseStatus.SESSION_NOT_RELIABLE);
      }
    }

    void close(CloseStatus status) {
      try {
        session.close(status);
      } catch (IOException | IllegalStateException ignored) {
        // already closed
      }
    }

    void closeTurns() {
      turns.values().forEach(TurnWriter::close);
    }
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) {
    WebSocketSession session = new ConcurrentWebSocketSessionDecorator(
        raw, (int) properties.sendTimeout().toMillis(), properties.sendBufferBytes());
    Connection connection = new Connection(session);
    connections.put(raw.getId(), connection);
    if (raw.getAttributes().get(WebSocketConfiguration.TOKEN_ATTRIBUTE) instanceof String token) {
      withRequestId(() -> authenticate(connection, token, null));
      return;
    }
    timers.schedule(() -> {
      if (connection.caller == null && connection.session.isOpen()) {
        refuseAuthentication(connection, null, "Authenticate within " + properties.authTimeout().toSeconds()
            + " s: send {\"type\":\"auth\",\"token\":...} first");
      }
    }, properties.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    Connection connection = connections.remove(session.getId());
    if (connection != null) {
      // The turns go on (they are workflows); only their streams end, freeing the slots.
      connection.closeTurns();
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("websocket {} transport error: {}", session.getId(), exception.toString());
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    Connection connection = connections.get(session.getId());
    if (connection == null) {
      return;
    }
    withRequestId(() -> handle(connection, message.getPayload()));
  }

  private void withRequestId(Runnable work) {
    MDC.put(RequestIds.MDC_KEY, UUID.randomUUID().toString());
    try {
      work.run();
    } finally {
      RequestContext.clear();
      MDC.remove(RequestIds.MDC_KEY);
    }
  }

  private void handle(Connection connection, String payload) {
    JsonNode ref = null;
    try {
      JsonNode frame;
      try {
        frame = json.readTree(payload);
      } catch (JacksonException malformed) {
        throw ApiException.validation("The frame is not JSON");
      }
      if (frame == null || !frame.isObject()) {
        throw ApiException.validation("A frame is a JSON object with a \"type\"");
      }
      ref = frame.get("ref");
      if (ref != null && !ref.isString() && !ref.isIntegralNumber()) {
        JsonNode bad = ref;
        ref = null;
        throw ApiException.invalidField("ref", "must be a string or an integer, not " + bad.getNodeType());
      }
      String type = text(frame, "type", true, 32);
      Set<String> allowed = FIELDS.get(type);
      if (allowed == null) {
        throw ApiException.invalidField("type", "must be one of auth, chat, approval, ping");
      }
      for (String name : frame.propertyNames()) {
        if (!allowed.contains(name)) {
          throw ApiException.invalidField(name, "is not a field of a " + type + " frame");
        }
      }
      switch (type) {
        case "auth" -> auth(connection, frame, ref);
        case "ping" -> connection.send(reply("pong", ref));
        case "chat" -> chat(connection, frame, ref);
        case "approval" -> approval(connection, frame, ref);
        default -> throw new IllegalStateException(type);
      }
    } catch (ApiException problem) {
      connection.send(error(problem, ref));
    } catch (RuntimeException e) {
      log.error("websocket frame failed", e);
      connection.send(error(ApiException.of(ErrorCode.INTERNAL_ERROR, "The frame could not be handled"), ref));
    }
  }

  private void auth(Connection connection, JsonNode frame, JsonNode ref) {
    if (connection.caller != null) {
      throw ApiException.validation("This socket is authenticated already");
    }
    authenticate(connection, text(frame, "token", true, 4096), ref);
  }

  private void authenticate(Connection connection, String token, JsonNode ref) {
    Optional<Caller> caller = callerOf(token);
    if (caller.isEmpty()) {
      refuseAuthentication(connection, ref, "The token is not a valid company API key or access token");
      return;
    }
    connection.token = token;
    connection.caller = caller.get();
    ObjectNode ready = reply("ready", ref);
    ready.put("company_id", caller.get().company().value());
    ready.put("actor", caller.get().actor());
    connection.send(ready);
  }

  /** The company caller the token stands for, now; empty for a bad token and for the operator token. */
  private Optional<Caller> callerOf(String token) {
    try {
      Authentication who = authentication.authenticate(new BearerToken(token));
      return who instanceof CallerAuthentication authenticated ? Optional.of(authenticated.caller()) : Optional.empty();
    } catch (AuthenticationException refused) {
      return Optional.empty();
    }
  }

  private void refuseAuthentication(Connection connection, JsonNode ref, String detail) {
    connection.send(error(ApiException.of(ErrorCode.AUTH_INVALID, detail), ref));
    connection.close(CloseStatus.POLICY_VIOLATION);
  }

  /** The socket's caller as of now (its token checked again); closes the socket when it is no longer valid. */
  private Optional<Caller> currentCaller(Connection connection, JsonNode ref) {
    if (connection.caller == null) {
      refuseAuthentication(connection, ref, "Authenticate first: send {\"type\":\"auth\",\"token\":...}");
      return Optional.empty();
    }
    Optional<Caller> caller = callerOf(connection.token);
    if (caller.isEmpty()) {
      refuseAuthentication(connection, ref, "The socket's token is no longer valid (revoked or expired)");
      return Optional.empty();
    }
    connection.caller = caller.get();
    RequestContext.setCompany(caller.get().company().value());
    return caller;
  }

  private void chat(Connection connection, JsonNode frame, JsonNode ref) {
    Optional<Caller> authenticated = currentCaller(connection, ref);
    if (authenticated.isEmpty()) {
      return;
    }
    Caller caller = authenticated.get();
    caller.require(Permission.CHAT);
    String agentId = text(frame, "agent_id", true, MAX_ID_CHARS);
    String sessionId = text(frame, "session_id", false, 36);
    String message = text(frame, "message", true, Integer.MAX_VALUE);
    if (message.isBlank()) {
      throw ApiException.invalidField("message", "must not be blank");
    }
    String idempotencyKey = text(frame, "idempotency_key", false, Integer.MAX_VALUE);
    try {
      IdempotentRequests.validateKey(idempotencyKey);
    } catch (ApiException malformed) {
      // The same rule as the header, named as the frame names it.
      throw ApiException.invalidField("idempotency_key", "must be 1 to 128 letters, digits or ._:- characters");
    }
    if (connection.turns.size() >= properties.maxTurnsPerSocket()) {
      throw ApiException.of(ErrorCode.RATE_LIMITED, "This socket streams " + properties.maxTurnsPerSocket()
          + " turns already (saturn.websocket.max-turns-per-socket); wait for one to end");
    }
    chatTurnLimit.take(caller);
    TurnStarter.StreamedTurn streamed = starter.startAndStream(new TurnStarter.StartTurn(
        caller.company(), agentId, sessionId, message, idempotencyKey, TurnChannel.WEBSOCKET));
    TurnStarter.AcceptedTurn turn = streamed.turn();
    ObjectNode accepted = reply("turn.accepted", ref);
    accepted.put("turn_id", turn.turnId());
    accepted.put("session_id", turn.sessionId());
    accepted.put("agent_id", turn.agentId());
    accepted.put("status", turn.status().dbValue());
    TurnWriter writer = new TurnWriter(connection, streamed.events(), RequestIds.current());
    if (connection.turns.putIfAbsent(turn.turnId(), writer) != null) {
      // The same key again while its turn streams on this socket: its events come once.
      streamed.events().close();
      connection.send(accepted);
      return;
    }
    // Accepted goes out before any event: the writer starts only after it.
    connection.send(accepted);
    streamed.events().onReady(writer::schedule);
  }

  private void approval(Connection connection, JsonNode frame, JsonNode ref) {
    Optional<Caller> authenticated = currentCaller(connection, ref);
    if (authenticated.isEmpty()) {
      return;
    }
    Caller caller = authenticated.get();
    caller.require(Permission.APPROVALS_DECIDE);
    String turnId = text(frame, "turn_id", true, MAX_ID_CHARS);
    String callId = text(frame, "call_id", true, MAX_ID_CHARS);
    String decision = text(frame, "decision", true, 16);
    if (!decision.equals("approve") && !decision.equals("deny")) {
      throw ApiException.invalidField("decision", "must be approve or deny");
    }
    String reason = text(frame, "reason", false, MAX_REASON_CHARS);
    ApprovalService.Decided decided = approvals.decide(caller, turnId, callId, decision, reason);
    ObjectNode answer = reply("approval.decided", ref);
    answer.put("turn_id", decided.turnId());
    answer.put("call_id", decided.callId());
    answer.put("decision", decided.decision());
    connection.send(answer);
  }

  /** A string field; null when absent and optional. Strict: a number is not a string. */
  private static String text(JsonNode frame, String field, boolean required, int maxChars) {
    JsonNode value = frame.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw ApiException.invalidField(field, "is required");
      }
      return null;
    }
    if (!value.isString()) {
      throw ApiException.invalidField(field, "must be a string");
    }
    String text = value.asString();
    if (text.length() > maxChars) {
      throw ApiException.invalidField(field, "must be at most " + maxChars + " characters");
    }
    return text;
  }

  private ObjectNode reply(String type, JsonNode ref) {
    ObjectNode frame = json.createObjectNode();
    frame.put("type", type);
    if (ref != null) {
      frame.set("ref", ref);
    }
    return frame;
  }

  private ObjectNode error(ApiException problem, JsonNode ref) {
    ObjectNode frame = reply("error", ref);
    List<FieldError> fields = problem.fieldErrors();
    Problem body = new Problem(Problem.type(problem.code()), problem.code().title(), problem.code().httpStatus(),
        problem.detail() == null || problem.detail().isBlank() ? problem.code().title() : problem.detail(),
        INSTANCE, problem.code().name(), RequestIds.current(), fields == null ? List.of() : List.copyOf(fields));
    frame.set("problem", json.valueToTree(body));
    String retryAfter = problem.headers().getFirst("Retry-After");
    if (retryAfter != null) {
      frame.put("retry_after", Long.parseLong(retryAfter));
    }
    return frame;
  }

  /** Writes one turn's events to its socket. */
  private final class TurnWriter implements Runnable {
    private final Connection connection;
    private final TurnEventStream stream;
    private final String requestId;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    TurnWriter(Connection connection, TurnEventStream stream, String requestId) {
      this.connection = connection;
      this.stream = stream;
      this.requestId = requestId;
    }

    void schedule() {
      if (!closed && scheduled.compareAndSet(false, true)) {
        try {
          writers.execute(this);
        } catch (RejectedExecutionException stopping) {
          close();
        }
      }
    }

    @Override
    public synchronized void run() {
      scheduled.set(false);
      if (closed) {
        return;
      }
      try {
        int written = 0;
        Optional<TurnEvent> next;
        while (written < EVENTS_PER_DRAIN && (next = stream.poll()).isPresent()) {
          TurnEventType type = next.get().type();
          if (type == TurnEventType.TURN_COMPLETED || type == TurnEventType.TURN_FAILED) {
            // Off the socket's count before the client can see the end and send its next turn.
            connection.turns.remove(stream.turnId(), this);
          }
          connection.send(frame(next.get()));
          written++;
        }
        if (written == EVENTS_PER_DRAIN) {
          schedule();
        } else if (stream.isFinished() || !connection.session.isOpen()) {
          close();
        }
      } catch (RuntimeException e) {
        log.warn("websocket stream of turn {} failed: {}", stream.turnId(), e.toString());
        close();
      }
    }

    private ObjectNode frame(TurnEvent event) {
      ObjectNode frame = json.createObjectNode();
      frame.put("type", "event");
      frame.put("turn_id", stream.turnId());
      frame.put("id", event.seq());
      frame.put("event", event.type().wireName());
      JsonNode data = event.data();
      if (event.type() == TurnEventType.TURN_FAILED && data instanceof ObjectNode problem) {
        ObjectNode body = problem.deepCopy();
        body.put("instance", INSTANCE);
        if (requestId != null) {
          body.put("request_id", requestId);
        }
        data = body;
      }
      frame.set("data", data);
      return frame;
    }

    void close() {
      if (!closed) {
        closed = true;
        connection.turns.remove(stream.turnId(), this);
        stream.close();
      }
    }
  }

  @Override
  public void destroy() {
    timers.shutdownNow();
    writers.shutdownNow();
    connections.values().forEach(Connection::closeTurns);
  }
}
