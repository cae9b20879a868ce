package dev.saturn.api.chat;

import dev.saturn.api.billing.Quotas;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.RequestContext;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentRow;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.chat.TurnViewReads;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.workflows.chat.ChatTurnWorkflow;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.WorkflowIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The one way into a chat turn, for every channel (REST, the OpenAI-compatible endpoints, the MCP
 * server and inbound channel webhooks today; WebSocket next): a channel turns its request into a
 * {@link StartTurn} and renders what comes back, nothing more.
 *
 * <p>A turn is accepted once: the idempotency record, the session (new or checked) and the
 * {@code turns} row commit in one transaction ({@link IdempotentRequests}; a turn whose row is the
 * only write, without a key or a new session, commits that row alone) <em>before</em> the
 * {@link ChatTurnWorkflow} starts under the stored workflow id with {@code REJECT_DUPLICATE}. So a
 * request retried with the same key after any failure finds the same turn and starts (or attaches
 * to) the same workflow, which Temporal runs at most once. Every channel gets the same checks on
 * this path: key and message length, agent of the company and enabled, the monthly token quota
 * ({@link Quotas}, new turns only), the session, and, while a caller waits for the answer, the
 * company's ceiling of waiting chat requests ({@link CompanyConcurrency}), or, for a channel that
 * streams the turn ({@link #startAndStream}), its ceiling of open event streams.
 *
 * <p>Not on this path: the per-caller and per-company chat-turn rate-limit buckets, charged by
 * {@code RateLimitFilter} before the handler runs. A channel's handler that starts turns carries
 * {@link dev.saturn.api.ratelimit.StartsChatTurn} for that.
 */
@Service
public class TurnStarter {

  private static final Logger log = LoggerFactory.getLogger(TurnStarter.class);

  /** The most prior messages one turn may bring along. */
  public static final int MAX_PRIOR_MESSAGES = 200;

  /**
   * What a channel asks for.
   *
   * @param sessionId an existing session of this agent, or null for a new one
   * @param idempotencyKey the sender's key (1 to 128 of {@code A-Za-z0-9._:-}), or null: then every
   *     request is a new turn
   * @param instructions appended to the agent's system prompt for this turn only (kept on the turn
   *     row, read by the model call), or null
   * @param priorMessages the conversation the sender had before this message, oldest first: stored
   *     in the session before the turn's question, in the same transaction as the turn, so the model
   *     reads them as history; empty for none
   * @param alsoRecord what the channel records about a new turn in the transaction that accepts it
   *     (e.g. which inbound message started it), so that nothing can see the turn without it; not
   *     run for a repeated request
   */
  public record StartTurn(
      CompanyId company, String agentId, String sessionId, String message, String idempotencyKey, TurnChannel channel,
      String instructions, List<PriorMessage> priorMessages, Consumer<TurnRow> alsoRecord) {

    public StartTurn {
      Objects.requireNonNull(company, "company");
      Objects.requireNonNull(agentId, "agentId");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(channel, "channel");
      priorMessages = priorMessages == null ? List.of() : List.copyOf(priorMessages);
      alsoRecord = alsoRecord == null ? NOTHING_ELSE : alsoRecord;
    }

    /** The channel records nothing of its own with the turn. */
    static final Consumer<TurnRow> NOTHING_ELSE = turn -> {};

    public StartTurn(
        CompanyId company, String agentId, String sessionId, String message, String idempotencyKey,
        TurnChannel channel) {
      this(company, agentId, sessionId, message, idempotencyKey, channel, null, List.of(), null);
    }

    public StartTurn(
        CompanyId company, String agentId, String sessionId, String message, String idempotencyKey,
        TurnChannel channel, String instructions, List<PriorMessage> priorMessages) {
      this(company, agentId, sessionId, message, idempotencyKey, channel, instructions, priorMessages, null);
    }

    public StartTurn(
        CompanyId company, String agentId, String sessionId, String message, String idempotencyKey,
        TurnChannel channel, Consumer<TurnRow> alsoRecord) {
      this(company, agentId, sessionId, message, idempotencyKey, channel, null, List.of(), alsoRecord);
    }
  }

  /** One message of a conversation held before a turn; {@code role} is {@code user} or {@code assistant}. */
  public record PriorMessage(String role, String content) {

    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public PriorMessage {
      if (!USER.equals(role) && !ASSISTANT.equals(role)) {
        throw new IllegalArgumentException("a prior message is from the user or the assistant, not " + role);
      }
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * A turn that was accepted, now or by an earlier request with the same key, and whose workflow
   * was started or attached to.
   *
   * @param status the turn's status when it was accepted: {@code running}, or already ended for a
   *     repeated request
   */
  public record AcceptedTurn(
      CompanyId company, String turnId, String sessionId, String agentId, String workflowId, TurnStatus status) {}

  /** A turn accepted (now, or by an earlier request with the same key) and its events from the first. */
  public record StreamedTurn(AcceptedTurn turn, TurnEventStream events) {}

  private final AgentRepository agents;
  private final SessionRepository sessions;
  private final TurnRepository turns;
  private final MessageRepository messages;
  private final IdempotentRequests requests;
  private final TurnRuns runs;
  private final ChatProperties properties;
  private final Quotas quotas;
  private final CompanyConcurrency concurrency;
  private final TurnEvents events;
  private final TurnViews views;

  TurnStarter(
      AgentRepository agents,
      SessionRepository sessions,
      TurnRepository turns,
      MessageRepository messages,
      IdempotentRequests requests,
      TurnRuns runs,
      ChatProperties properties,
      Quotas quotas,
      CompanyConcurrency concurrency,
      TurnEvents events,
      TurnViews views) {
    this.views = views;
    this.agents = agents;
    this.sessions = sessions;
    this.turns = turns;
    this.messages = messages;
    this.requests = requests;
    this.runs = runs;
    this.properties = properties;
    this.quotas = quotas;
    this.concurrency = concurrency;
    this.events = events;
  }

  /**
   * Accepts the turn once and starts its workflow (or attaches to it); does not wait. For a
   * channel that answers at once (202) and delivers the answer elsewhere.
   *
   * @throws ApiException 400 for a malformed key or a message over {@code saturn.chat.max-message-chars},
   *     404 for an unknown agent or session, 409 {@code AGENT_DISABLED} or {@code IDEMPOTENCY_CONFLICT},
   *     429 {@code QUOTA_EXCEEDED}, 503 when Temporal cannot be reached (the turn stays recorded:
   *     the same request with the same key starts it)
   */
  public AcceptedTurn start(StartTurn command) {
    validate(command);
    return accept(command);
  }

  /**
   * Waits up to {@code wait} for the turn to end, or to start waiting for a person's approval,
   * holding one of the company's waiting-chat-request slots meanwhile; then reads the turn again.
   *
   * @return the turn: {@code completed}, {@code failed} (its error on the row), or still {@code running}
   * @throws ApiException 429 {@code RATE_LIMITED} when the company is at its ceiling of waiting requests
   */
  public TurnRow await(AcceptedTurn turn, Duration wait) {
    try (CompanyConcurrency.Permit waiting = concurrency.acquire(turn.company(), CompanyConcurrency.Kind.CHAT_REQUESTS)) {
      if (turn.status() == TurnStatus.RUNNING) {
        runs.await(turn.company(), turn.turnId(), wait);
      }
      return turns.find(turn.company(), turn.turnId()).orElseThrow();
    }
  }

  /**
   * {@link #start} then {@link #await} for {@code saturn.chat.result-wait}, inside one waiting slot
   * taken before anything is recorded: a company at its ceiling gets 429 and no turn.
   */
  public TurnRow startAndAwait(StartTurn command) {
    return startAndAwait(command, properties.resultWait());
  }

  /** {@link #startAndAwait(StartTurn)} with a wait of the channel's choosing. */
  public TurnRow startAndAwait(StartTurn command, Duration wait) {
    return startAndAwait(command, wait, turn -> turn, turns::find);
  }

  /**
   * {@link #startAndAwait(StartTurn)}, then the turn with its answer and usage read in one statement
   * ({@link TurnViews#read}), for a channel that renders the {@link TurnView}.
   */
  public TurnViewReads.TurnWithAnswer startAndAwaitAnswer(StartTurn command) {
    return startAndAwait(command, properties.resultWait(), null, views::read);
  }

  /**
   * @param accepted what to answer for a turn that had already ended (a repeated request), or null
   *     to read it with {@code read}
   */
  private <T> T startAndAwait(
      StartTurn command, Duration wait, Function<TurnRow, T> accepted, BiFunction<CompanyId, String, Optional<T>> read) {
    validate(command);
    try (CompanyConcurrency.Permit waiting = concurrency.acquire(command.company(), CompanyConcurrency.Kind.CHAT_REQUESTS)) {
      TurnRow turn = acceptRow(command);
      if (turn.status() != TurnStatus.RUNNING) {
        return accepted != null ? accepted.apply(turn) : read.apply(command.company(), turn.id()).orElseThrow();
      }
      runs.startAndAwait(turn, command.message(), wait);
      return read.apply(command.company(), turn.id()).orElseThrow();
    }
  }

  /**
   * {@link #start} and the turn's events from its first one, live: for a channel that shows the
   * turn as it runs (SSE on {@code POST /chat}; OpenAI-style and WebSocket streams). The stream
   * holds one of the company's open-event-stream slots, taken before anything is recorded (a
   * company at its ceiling gets 429 and no turn) and freed when the stream is closed. A request
   * repeated with the same key gets the same turn's stream, from its first event.
   *
   * @throws ApiException as {@link #start}, and 429 {@code RATE_LIMITED} at the ceiling of open streams
   */
  public StreamedTurn startAndStream(StartTurn command) {
    validate(command);
    CompanyConcurrency.Permit open = concurrency.acquire(command.company(), CompanyConcurrency.Kind.EVENT_STREAMS);
    try {
      AcceptedTurn accepted = accept(command);
      TurnRow turn = turns.find(accepted.company(), accepted.turnId()).orElseThrow();
      return new StreamedTurn(accepted, events.open(turn, 0, open));
    } catch (RuntimeException e) {
      open.close();
      throw e;
    }
  }

  private void validate(StartTurn command) {
    IdempotentRequests.validateKey(command.idempotencyKey());
    int max = properties.maxMessageChars();
    if (command.message().length() > max) {
      throw ApiException.invalidField("message", "must be at most " + max + " characters");
    }
    if (command.instructions() != null && command.instructions().length() > max) {
      throw ApiException.invalidField("instructions", "must be at most " + max + " characters");
    }
    if (command.priorMessages().size() > MAX_PRIOR_MESSAGES) {
      throw ApiException.invalidField("messages", "may carry at most " + MAX_PRIOR_MESSAGES + " earlier messages");
    }
    for (PriorMessage prior : command.priorMessages()) {
      if (prior.content().length() > max) {
        throw ApiException.invalidField("messages", "each message must be at most " + max + " characters");
      }
    }
  }

  private AcceptedTurn accept(StartTurn command) {
    TurnRow turn = acceptRow(command);
    if (turn.status() == TurnStatus.RUNNING) {
      runs.start(turn, command.message());
    }
    return new AcceptedTurn(
        command.company(), turn.id(), turn.sessionId(), turn.agentId(), turn.workflowId(), turn.status());
  }

  /** The turn recorded once (now, or by an earlier request with the same key); its workflow not started yet. */
  private TurnRow acceptRow(StartTurn command) {
    CompanyId company = command.company();
    RequestContext.setAgent(command.agentId());
    // The agent and the session the request names, in one read (the session is checked in acceptOnce).
    AgentRepository.WithSession found = agents.findWithSession(company, command.agentId(), command.sessionId())
        .orElseThrow(() -> ApiException.notFound("agent " + command.agentId()));
    TurnRow turn = acceptOnce(company, found, command);
    RequestContext.setTurn(turn.id());
    log.info("turn accepted: channel={} status={}", command.channel(), turn.status());
    return turn;
  }

  private TurnRow acceptOnce(CompanyId company, AgentRepository.WithSession found, StartTurn command) {
    if (writesOneRow(command)) {
      // No key, an existing session, nothing else to record: the turn row is the only write, and
      // commits alone, without a transaction's begin and commit around it.
      return recordNew(company, found, command, Ids.newId());
    }
    return requests.once(
        company,
        command.channel().idempotencyScope(),
        command.idempotencyKey(),
        requestHash(found.agent(), command),
        "turn",
        turnId -> recordNew(company, found, command, turnId),
        turnId -> turns.find(company, turnId).orElseThrow());
  }

  /** Whether accepting the command writes the turn row and nothing else (no record of a key, session, prior message or channel's own). */
  private static boolean writesOneRow(StartTurn command) {
    return command.idempotencyKey() == null && command.sessionId() != null && command.priorMessages().isEmpty()
        && command.alsoRecord() == StartTurn.NOTHING_ELSE;
  }

  /** Records a new turn: checks, then the session (when new), the turn row, prior messages and what the channel records. */
  private TurnRow recordNew(CompanyId company, AgentRepository.WithSession found, StartTurn command, String turnId) {
    AgentRow agent = found.agent();
    TurnChannel channel = command.channel();
    if (!agent.enabled()) {
      throw ApiException.of(ErrorCode.AGENT_DISABLED, "agent " + agent.id() + " is disabled");
    }
    // Only new turns: a repeated request for a recorded turn still gets its answer.
    quotas.requireAvailable(company);
    String sessionId = sessionFor(company, found, command.sessionId());
    // Without a key the turn is its own key: a repeat is then a new turn, as the client asked.
    String turnKey = command.idempotencyKey() != null ? channel.turnKey(command.idempotencyKey()) : turnId;
    // The turn runs on the version current as it is accepted (read just now, checked enabled),
    // pinned here so the workflow's first step need not.
    TurnRow turn = turns.insertRunning(company, turnId, sessionId, agent.id(), agent.currentVersion(),
        WorkflowIds.chatTurn(company.value(), sessionId, turnKey), command.instructions());
    // Before the question (which the workflow stores), so they sort as its history.
    List<PriorMessage> prior = command.priorMessages();
    for (int i = 0; i < prior.size(); i++) {
      messages.insertPriorOnce(company, sessionId, turnId, i, prior.get(i).role(), prior.get(i).content());
    }
    command.alsoRecord().accept(turn);
    return turn;
  }

  /** What makes two requests the same; a REST request's hash keeps the form it had before channels. */
  private static String requestHash(AgentRow agent, StartTurn command) {
    List<String> parts = new ArrayList<>(Arrays.asList(agent.id(), command.sessionId(), command.message()));
    if (command.instructions() != null || !command.priorMessages().isEmpty()) {
      parts.add(command.instructions());
      for (PriorMessage prior : command.priorMessages()) {
        parts.add(prior.role());
        parts.add(prior.content());
      }
    }
    return IdempotentRequests.hash(parts.toArray(String[]::new));
  }

  /** A new session, or the one named if it is this agent's (read with the agent). */
  private String sessionFor(CompanyId company, AgentRepository.WithSession found, String sessionId) {
    if (sessionId == null) {
      return sessions.create(company, found.agent().id()).id();
    }
    if (!found.sessionAgentId().filter(found.agent().id()::equals).isPresent()) {
      throw ApiException.notFound("session " + sessionId);
    }
    return sessionId;
  }
}
