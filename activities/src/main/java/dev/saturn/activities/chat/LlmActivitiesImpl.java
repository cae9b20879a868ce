package dev.saturn.activities.chat;

import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.activities.llm.ChatProviders;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.TokenEstimator;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.agents.AgentVersionRow;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.kb.TurnPassage;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.chat.LlmActivities;
import dev.saturn.workflows.chat.LlmCallInput;
import dev.saturn.workflows.chat.LlmCallResult;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Builds the prompt from stored state (pinned agent version, windowed history, the turn's own user
 * message) and calls the provider. The call runs on its own thread while this one heartbeats, so
 * a worker that dies mid-call is noticed after the heartbeat timeout and the call is retried
 * elsewhere.
 */
@Component
public class LlmActivitiesImpl implements LlmActivities, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(LlmActivitiesImpl.class);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(2);

  private final AgentRepository agents;
  private final MessageRepository messages;
  private final ChatProviders providers;
  /** Knowledge-base passages retrieved for the turn; null in tests of chat alone. */
  private final TurnPassageRepository passages;
  private final ExecutorService calls = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "llm-call");
    thread.setDaemon(true);
    return thread;
  });

  LlmActivitiesImpl(AgentRepository agents, MessageRepository messages, ChatProviders providers) {
    this(agents, messages, providers, null);
  }

  @Autowired
  LlmActivitiesImpl(
      AgentRepository agents, MessageRepository messages, ChatProviders providers, TurnPassageRepository passages) {
    this.agents = agents;
    this.messages = messages;
    this.providers = providers;
    this.passages = passages;
  }

  @Override
  public LlmCallResult generate(LlmCallInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    AgentVersionRow version = agents.findVersion(company, in.agentId(), in.agentVersion())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "agent version " + in.agentVersion() + " not found", ErrorCode.NOT_FOUND.name()));
    AgentConfig config = AgentConfigs.parse(version.configJson());
    ChatProvider provider = providers.get(config.provider());
    ProviderRequest request = new ProviderRequest(config.model(), config.temperature(), prompt(company, in, config));

    long started = System.nanoTime();
    ProviderReply reply = callWhileHeartbeating(() -> provider.complete(request));
    log.info("llm call finished: provider={} model={} input_tokens={} output_tokens={} estimated={} duration_ms={}",
        provider.name(), reply.model(), reply.inputTokens(), reply.outputTokens(), reply.estimated(),
        (System.nanoTime() - started) / 1_000_000);
    return new LlmCallResult(
        reply.content(), provider.name(), reply.model(), reply.inputTokens(), reply.outputTokens(), reply.estimated());
  }

  List<PromptMessage> prompt(CompanyId company, LlmCallInput in, AgentConfig config) {
    MessageRow question = messages.findByTurn(company, in.turnId(), ChatStoreActivitiesImpl.USER)
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "user message of turn " + in.turnId() + " not found", ErrorCode.NOT_FOUND.name()));
    List<MessageRow> history = messages.history(company, in.sessionId(), in.userMessageSeq(), config.historyWindow());
    history = withinTokenBudget(history, config.historyTokenBudget());

    List<PromptMessage> prompt = new ArrayList<>(history.size() + 2);
    if (!config.systemPrompt().isBlank()) {
      prompt.add(new PromptMessage("system", config.systemPrompt()));
    }
    if (passages != null) {
      KbPrompt.of(passages.list(company, in.turnId())).ifPresent(prompt::add);
    }
    history.forEach(m -> prompt.add(new PromptMessage(m.role(), m.content())));
    prompt.add(new PromptMessage("user", question.content()));
    return prompt;
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

  private ProviderReply callWhileHeartbeating(java.util.function.Supplier<ProviderReply> call) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    CompletableFuture<ProviderReply> future = CompletableFuture.supplyAsync(call, calls);
    try {
      while (true) {
        try {
          return future.get(HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillWaiting) {
          // Throws if the activity was cancelled or timed out server-side; the finally stops the call.
          context.heartbeat(null);
        }
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw ApplicationFailure.newFailureWithCause("provider call failed", ErrorCode.LLM_PROVIDER_ERROR.name(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailureWithCause("interrupted", ErrorCode.LLM_PROVIDER_ERROR.name(), e);
    } finally {
      future.cancel(true);
    }
  }

  @Override
  public void destroy() {
    calls.shutdownNow();
  }
}
