package dev.saturn.activities.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.billing.ProviderAttemptRecorder;
import dev.saturn.activities.common.BusinessMetrics;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.activities.llm.ChatProviders;
import dev.saturn.activities.llm.CompanyProviders;
import dev.saturn.activities.llm.ProviderEndpoint;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.TokenEstimator;
import dev.saturn.activities.llm.ToolSpec;
import dev.saturn.activities.tools.JsonRedactor;
import dev.saturn.activities.tools.ToolCatalog;
import dev.saturn.activities.tracing.GenAiSpans;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnStepReads;
import dev.saturn.db.chat.TurnEventType;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.tools.ToolRow;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.db.kb.TurnPassage;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.chat.LlmActivities;
import dev.saturn.workflows.chat.LlmCallInput;
import dev.saturn.workflows.chat.LlmCallResult;
import dev.saturn.workflows.chat.ToolCallRequest;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds the prompt from stored state (pinned agent version, the turn's instructions appended to its
 * system prompt, windowed history, the turn's own user message) and calls the provider. The call
 * runs on the bounded pool {@code saturn.llm.calls} while this thread writes the text the provider
 * streams to the turn's journal ({@link AnswerStream}) and heartbeats, so a worker that dies
 * mid-call is noticed after the heartbeat timeout and the call is retried elsewhere; an attempt
 * Temporal gives up on interrupts its call. The deltas are a view: what the step stores is the
 * completed reply, written once by {@link #record}.
 */
@Component
public class LlmActivitiesImpl implements LlmActivities {

  private static final Logger log = LoggerFactory.getLogger(LlmActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MessageRepository messages;
  private final TurnStepReads reads;
  private final ChatProviders providers;
  private final ToolCatalog catalog;
  private final UsageEventRepository usage;
  private final TurnJournal journal;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final ProviderAttemptRecorder attempts;
  /** Knowledge-base passages retrieved for the turn; null in tests of chat alone. */
  private final TurnPassageRepository passages;
  private final HeartbeatingPool calls;
  private final AnswerStreams streams;
  private final BusinessMetrics metrics;
  private final GenAiSpans spans;
  /** The company's own provider settings; null in tests that use the server's only. */
  private final CompanyProviders companyProviders;

  public LlmActivitiesImpl(
      MessageRepository messages, TurnStepReads reads, ChatProviders providers, ToolCatalog catalog,
      UsageEventRepository usage, TurnJournal journal, TransactionTemplate transaction, Clock clock,
      ProviderAttemptRecorder attempts, TurnPassageRepository passages,
      @Qualifier(LlmCallsConfig.POOL) HeartbeatingPool calls, AnswerStreams streams,
      BusinessMetrics metrics, GenAiSpans spans) {
    this(messages, reads, providers, catalog, usage, journal, transaction, clock, attempts, passages, calls, streams,
        metrics, spans, null);
  }

  @Autowired
  public LlmActivitiesImpl(
      MessageRepository messages, TurnStepReads reads, ChatProviders providers, ToolCatalog catalog,
      UsageEventRepository usage, TurnJournal journal, TransactionTemplate transaction, Clock clock,
      ProviderAttemptRecorder attempts, TurnPassageRepository passages,
      @Qualifier(LlmCallsConfig.POOL) HeartbeatingPool calls, AnswerStreams streams,
      BusinessMetrics metrics, GenAiSpans spans, CompanyProviders companyProviders) {
    this.companyProviders = companyProviders;
    this.messages = messages;
    this.reads = reads;
    this.providers = providers;
    this.catalog = catalog;
    this.usage = usage;
    this.journal = journal;
    this.transaction = transaction;
    this.clock = clock;
    this.attempts = attempts;
    this.passages = passages;
    this.calls = calls;
    this.streams = streams;
    this.metrics = metrics;
    this.spans = spans;
  }

  @Override
  public LlmCallResult generate(LlmCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    AgentConfig config = catalog.config(company, in.agentId(), in.agentVersion());
    ChatProvider provider = providers.get(config.provider());
    List<ToolRow> tools = catalog.toolsOf(company, in.agentId(), in.agentVersion(), config);
    List<ToolSpec> specs = tools.stream().map(t -> new ToolSpec(t.name(), t.description(), t.parametersJson())).toList();
    // Resolved on every attempt: a company's base URL passes the SSRF guard at call time.
    ProviderEndpoint endpoint = companyProviders == null ? null : companyProviders.endpoint(company, provider.name());
    TurnStepReads.Prompt stored = reads.prompt(company, in.sessionId(), in.turnId(), in.userMessageSeq(),
            config.historyWindow())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "user message of turn " + in.turnId() + " not found", ErrorCode.NOT_FOUND.name()));
    ProviderRequest request =
        new ProviderRequest(config.model(), config.temperature(), prompt(company, in, config, stored), specs, endpoint);

    ActivityExecutionContext context = Activity.getExecutionContext();
    // step.started goes with the stream's first write, or with the step's record (AnswerStream).
    AnswerStream stream = streams.open(company, in.turnId(), in.step(), context, stored.lastEventSeq());
    long started = System.nanoTime();
    // Cost per attempt, apart from billable usage (recorded once per step by record()).
    var target = new ProviderAttemptRecorder.Target(in.companyId(), in.agentId(), in.turnId());
    Instant startedAt = attempts.now();
    // A full pool throws here, before the provider was sent anything: not a provider attempt.
    HeartbeatingPool.Submitted<ProviderReply> call = calls.submit(() -> {
      try {
        return spans.chat(provider.name(), request,
            () -> metrics.timeLlmCall(provider.name(), request.model(), () -> provider.stream(request, stream)));
      } finally {
        stream.done();
      }
    });
    ProviderReply reply;
    try {
      // The stream's tick waits for text, a heartbeat or the end of the call itself.
      reply = call.await(Duration.ZERO, stream::tick);
    } catch (RuntimeException failed) {
      stream.failed();
      attempts.failed(target, provider.name(), request, failed, startedAt);
      throw failed;
    }
    List<TurnJournal.Entry> unwritten = stream.finish();
    AnswerProgress streamed = stream.progress();
    log.info("llm call finished: provider={} model={} step={} tool_calls={} input_tokens={} output_tokens={} estimated={} deltas={} duration_ms={}",
        provider.name(), reply.model(), in.step(), reply.toolCalls().size(), reply.inputTokens(), reply.outputTokens(),
        reply.estimated(), streamed.deltas(), (System.nanoTime() - started) / 1_000_000);

    List<ToolCallRequest> requested;
    try {
      requested = toolCalls(company, in, reply, tools);
    } catch (RuntimeException e) {
      attempts.succeeded(target, provider.name(), reply, startedAt);
      throw e;
    }
    LlmCallResult result = new LlmCallResult(
        reply.content(), provider.name(), reply.model(), reply.inputTokens(), reply.outputTokens(), reply.estimated(),
        requested);
    ProviderReply answered = reply;
    record(company, in, result, stream.lastSeq(), unwritten,
        () -> attempts.succeededOrThrow(target, provider.name(), answered, startedAt),
        () -> attempts.succeeded(target, provider.name(), answered, startedAt));
    return result;
  }

  /**
   * The model's calls with ids unique within the turn (a server that reuses an id across steps
   * gets it suffixed) and their arguments redacted for everything but the tool itself.
   */
  private List<ToolCallRequest> toolCalls(CompanyId company, LlmCallInput in, ProviderReply reply, List<ToolRow> tools) {
    if (reply.toolCalls().isEmpty()) {
      return List.of();
    }
    Set<String> used = new HashSet<>();
    for (MessageRow earlier : messages.toolMessages(company, in.turnId())) {
      if (earlier.toolCallId() != null) {
        used.add(earlier.toolCallId());
      }
    }
    List<ToolCallRequest> out = new ArrayList<>();
    int index = 0;
    for (PromptMessage.ToolCall call : reply.toolCalls()) {
      index++;
      String id = call.id() == null || call.id().isBlank() ? "call_" + in.step() + "_" + index : call.id();
      if (!used.add(id)) {
        id = id + "_s" + in.step();
        used.add(id);
      }
      Set<String> secretFields = tools.stream().filter(t -> t.name().equals(call.name())).findFirst()
          .map(ToolCatalog::secretFields).orElse(Set.of());
      out.add(new ToolCallRequest(id, call.name(), call.arguments(), JsonRedactor.redact(call.arguments(), secretFields)));
    }
    return out;
  }

  /**
   * Stores what this model call produced, once per step, in one transaction: its usage event, the
   * assistant message with the tool calls it asked for (the next step's prompt reads it), its events
   * after the stream's last one ({@code unwritten}: {@code step.started} and the text that came as
   * the call ended, if the stream had not written them), and this attempt's provider-attempt row
   * ({@code attempt}). That row is best effort and must never cost the step its record: should the
   * transaction fail, it runs once more without it and the row is written on its own ({@code
   * attemptAlone}, which logs a failure).
   */
  private void record(CompanyId company, LlmCallInput in, LlmCallResult result, int lastSeq,
      List<TurnJournal.Entry> unwritten, Runnable attempt, Runnable attemptAlone) {
    try {
      transaction.executeWithoutResult(status -> {
        store(company, in, result, lastSeq, unwritten);
        attempt.run();
      });
    } catch (RuntimeException e) {
      log.warn("recording step {} of turn {} with its provider attempt failed, recording it without: {}",
          in.step(), in.turnId(), e.toString());
      transaction.executeWithoutResult(status -> store(company, in, result, lastSeq, unwritten));
      attemptAlone.run();
    }
  }

  private void store(
      CompanyId company, LlmCallInput in, LlmCallResult result, int lastSeq, List<TurnJournal.Entry> unwritten) {
    usage.recordOnce(company, new UsageEvent(
        Ids.newId(), company.value(), in.agentId(), in.sessionId(), in.turnId(), "llm", result.provider(),
        result.model(), result.inputTokens(), result.outputTokens(), 1, result.estimated(),
        "turn:" + in.turnId() + ":llm:" + in.step(), clock.instant()));
    ObjectNode finished = journal.data().put("step", in.step())
        .put("input_tokens", result.inputTokens()).put("output_tokens", result.outputTokens());
    ArrayNode calls = finished.putArray("tool_calls");
    if (!result.toolCalls().isEmpty()) {
      ArrayNode stored = JSON.createArrayNode();
      for (ToolCallRequest call : result.toolCalls()) {
        stored.addObject().put("id", call.callId()).put("name", call.name()).put("arguments", call.redactedArguments());
        calls.addObject().put("call_id", call.callId()).put("tool", call.name()).put("arguments", call.redactedArguments());
      }
      messages.insertToolStepOnce(company, in.sessionId(), in.turnId(), in.step(), result.content(), stored.toString());
    }
    List<TurnJournal.Entry> events = new ArrayList<>(unwritten);
    events.add(new TurnJournal.Entry("step:" + in.step() + ":finished", TurnEventType.STEP_FINISHED, finished));
    for (ToolCallRequest call : result.toolCalls()) {
      events.add(new TurnJournal.Entry("call:" + call.callId() + ":requested", TurnEventType.TOOL_CALLED,
          journal.data().put("step", in.step()).put("call_id", call.callId()).put("tool", call.name())
              .put("arguments", call.redactedArguments())));
    }
    journal.appendAfter(company, in.turnId(), lastSeq, events);
  }

  /** The prompt from what {@link TurnStepReads#prompt} read (and the turn's passages and tool messages, if any). */
  List<PromptMessage> prompt(CompanyId company, LlmCallInput in, AgentConfig config, TurnStepReads.Prompt stored) {
    // The question's seq came from startTurn; a mismatch (a turn stored by older code) is looked up by turn.
    MessageRow question = stored.question()
        .or(() -> messages.findByTurn(company, in.turnId(), ChatStoreActivitiesImpl.USER))
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "user message of turn " + in.turnId() + " not found", ErrorCode.NOT_FOUND.name()));
    List<MessageRow> history = startingWithAQuestion(withinTokenBudget(stored.history(), config.historyTokenBudget()));

    List<PromptMessage> prompt = new ArrayList<>(history.size() + 2);
    String system = systemPrompt(config.systemPrompt(), stored.instructions());
    if (!system.isBlank()) {
      prompt.add(new PromptMessage("system", system));
    }
    Optional<KbPrompt.Messages> kb = passages == null || !stored.hasPassages()
        ? Optional.empty() : KbPrompt.of(passages.list(company, in.turnId()));
    kb.ifPresent(k -> prompt.add(k.instruction()));
    history.forEach(m -> prompt.add(toPrompt(m)));
    kb.ifPresent(k -> prompt.add(k.passages()));
    prompt.add(new PromptMessage("user", question.content()));
    if (in.step() > 1) {
      messages.toolMessages(company, in.turnId()).forEach(m -> prompt.add(toPrompt(m)));
    }
    return prompt;
  }

  /** The agent's system prompt with the turn's own instructions (if any) after it, as one system message. */
  static String systemPrompt(String agentPrompt, String turnInstructions) {
    if (turnInstructions == null || turnInstructions.isBlank()) {
      return agentPrompt;
    }
    return agentPrompt.isBlank() ? turnInstructions.strip() : agentPrompt + "\n\n" + turnInstructions.strip();
  }

  /**
   * A window may begin inside an earlier turn's tool exchange; a tool result without the call it
   * answers is refused by OpenAI-style servers, so such a start is dropped up to the next message
   * that is neither a tool call nor a tool result.
   */
  private static List<MessageRow> startingWithAQuestion(List<MessageRow> history) {
    int first = 0;
    while (first < history.size()
        && (MessageRow.TOOL.equals(history.get(first).role()) || history.get(first).asksForTools())) {
      first++;
    }
    return history.subList(first, history.size());
  }

  private static PromptMessage toPrompt(MessageRow message) {
    if (message.asksForTools()) {
      List<PromptMessage.ToolCall> calls = new ArrayList<>();
      try {
        for (JsonNode call : JSON.readTree(message.toolCallsJson())) {
          calls.add(new PromptMessage.ToolCall(call.path("id").asText(), call.path("name").asText(), call.path("arguments").asText()));
        }
      } catch (java.io.IOException e) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            "stored tool calls are not JSON", ErrorCode.INTERNAL_ERROR.name(), e);
      }
      return PromptMessage.toolCalls(message.content(), calls);
    }
    if (MessageRow.TOOL.equals(message.role())) {
      return PromptMessage.toolResult(message.toolCallId(), message.toolName(), message.content());
    }
    return new PromptMessage(message.role(), message.content());
  }

  /** Drops the oldest messages until the rest fit the budget; a null budget keeps the window as is. */
  private List<MessageRow> withinTokenBudget(List<MessageRow> history, Integer budget) {
    if (budget == null) {
      return history;
    }
    int start = history.size();
    long used = 0;
    while (start > 0) {
      long next = TokenEstimator.count(history.get(start - 1).content());
      if (used + next > budget) {
        break;
      }
      used += next;
      start--;
    }
    return history.subList(start, history.size());
  }
}
