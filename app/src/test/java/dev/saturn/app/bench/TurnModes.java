package dev.saturn.app.bench;

import dev.saturn.activities.chat.ChatStoreActivitiesImpl;
import dev.saturn.api.chat.TurnRuns;
import dev.saturn.activities.chat.LlmActivitiesImpl;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.workflows.chat.ChatTurnInput;
import dev.saturn.workflows.chat.ChatTurnResult;
import dev.saturn.workflows.chat.CompleteTurnInput;
import dev.saturn.workflows.chat.LlmCallInput;
import dev.saturn.workflows.chat.LlmCallResult;
import dev.saturn.workflows.chat.StartTurnInput;
import dev.saturn.workflows.chat.TurnCompleted;
import dev.saturn.workflows.chat.TurnStarted;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.dao.TransientDataAccessException;

/** The ways of running one chat turn that the benchmark compares. Each turn gets its own session. */
final class TurnModes {

  static final String MESSAGE = "How much does the platform add to a chat turn?";

  private TurnModes() {}

  /** The benchmark tenant: one company, its API key, one agent on the instant model. */
  /** @param agentVersion the agent's current version, which TurnStarter pins on the turn row as it accepts it */
  record Tenant(String companyId, String apiKey, String agentId, int agentVersion) {
    CompanyId company() {
      return CompanyId.of(companyId);
    }
  }

  interface TurnMode {
    /** e.g. {@code direct}, {@code workflow/embedded}, {@code http/dev-server}. */
    String id();

    /** The application that serves this mode: its SQL counter is read around each batch. */
    SaturnInstance instance();

    /** Runs one whole turn in {@code sessionId}; returns only when the answer is stored. */
    void turn(String sessionId) throws Exception;
  }

  /**
   * What {@code TurnStarter} does before it starts the workflow (the turn row), then the three
   * activity implementations in the workflow's order, on the caller's thread, no Temporal.
   */
  static final class Direct implements TurnMode {
    private final SaturnInstance instance;
    private final Tenant tenant;
    private final DirectTurn turn;

    Direct(SaturnInstance instance, Tenant tenant) {
      this.instance = instance;
      this.tenant = tenant;
      this.turn = new DirectTurn(
          instance.bean(TurnRepository.class), instance.bean(ChatStoreActivitiesImpl.class),
          instance.bean(LlmActivitiesImpl.class));
    }

    @Override
    public String id() {
      return "direct";
    }

    @Override
    public SaturnInstance instance() {
      return instance;
    }

    @Override
    public void turn(String sessionId) {
      turn.run(tenant, sessionId);
    }
  }

  /** The direct mode's turn, on the caller's thread (also what {@code PlainTurnSqlTest} counts). */
  record DirectTurn(TurnRepository turns, ChatStoreActivitiesImpl store, LlmActivitiesImpl llm) {

    void run(Tenant tenant, String sessionId) {
      String company = tenant.companyId();
      String agent = tenant.agentId();
      String turnId = Ids.newId();
      String workflowId = WorkflowIds.chatTurn(company, sessionId, turnId);
      turns.insertRunning(tenant.company(), turnId, sessionId, agent, tenant.agentVersion(), workflowId, null);
      TurnStarted started = retried(() -> store.startTurn(new StartTurnInput(company, turnId, agent, sessionId, MESSAGE)));
      LlmCallResult reply = retried(() -> ActivityContextShim.inActivity(workflowId, () -> llm.generate(
          new LlmCallInput(company, agent, started.agentVersion(), sessionId, turnId, started.userMessageSeq()))));
      // The same usage key the workflow uses for its first model call (ChatTurnWorkflowImpl.usageKey).
      TurnCompleted done = retried(() -> store.completeTurn(
          new CompleteTurnInput(company, turnId, agent, sessionId, "turn:" + turnId + ":llm:1", reply)));
      if (done.assistantMessageId() == null || !InstantChatProvider.REPLY.equals(reply.content())) {
        throw new IllegalStateException("direct turn " + turnId + " returned " + reply);
      }
    }

    /**
     * A step retried on a transient database failure (a deadlock between concurrent turns' event
     * appends), as Temporal retries the activity in the other modes; at most 3 attempts.
     */
    private static <T> T retried(Supplier<T> step) {
      for (int attempt = 1; ; attempt++) {
        try {
          return step.get();
        } catch (TransientDataAccessException e) {
          if (attempt == 3) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * What {@code TurnStarter} does once the turn is recorded: turn row, then {@link TurnRuns#startAndAwait}
   * (eager start, the wait woken by the turn's own end event), the workflow with its local store steps.
   */
  static final class Workflow implements TurnMode {
    private final SaturnInstance instance;
    private final Tenant tenant;
    private final TurnRepository turns;
    private final TurnRuns runs;

    Workflow(SaturnInstance instance, Tenant tenant) {
      this.instance = instance;
      this.tenant = tenant;
      this.turns = instance.bean(TurnRepository.class);
      this.runs = instance.bean(TurnRuns.class);
    }

    @Override
    public String id() {
      return "workflow/" + instance.backend;
    }

    @Override
    public SaturnInstance instance() {
      return instance;
    }

    @Override
    public void turn(String sessionId) {
      String turnId = Ids.newId();
      String workflowId = WorkflowIds.chatTurn(tenant.companyId(), sessionId, turnId);
      TurnRow turn = turns.insertRunning(
          tenant.company(), turnId, sessionId, tenant.agentId(), tenant.agentVersion(), workflowId, null);
      TurnRuns.Outcome outcome = runs.startAndAwait(turn, MESSAGE, Duration.ofSeconds(60));
      // Whether it completed (not failed) every turn row says at the end of the benchmark.
      if (outcome != TurnRuns.Outcome.ENDED) {
        throw new IllegalStateException("turn " + turnId + ": " + outcome);
      }
    }
  }

  /**
   * Temporal's plain pattern, the design before {@code local-store-steps}: turn row, start (not
   * eager) {@link PlainChatTurnWorkflow} (one regular activity per step) on its own worker, block on
   * the result. The worker runs without eager activities, as the dev server had them off.
   */
  static final class Plain implements TurnMode {
    static final String TASK_QUEUE = "bench-plain-chat";

    private final SaturnInstance instance;
    private final Tenant tenant;
    private final TurnRepository turns;
    private final WorkflowClient client;

    Plain(SaturnInstance instance, Tenant tenant) {
      this.instance = instance;
      this.tenant = tenant;
      this.turns = instance.bean(TurnRepository.class);
      this.client = instance.bean(WorkflowClient.class);
      WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
          .setWorkerInterceptors(instance.context.getBeansOfType(WorkerInterceptor.class).values()
              .toArray(WorkerInterceptor[]::new))
          .build());
      Worker worker = factory.newWorker(TASK_QUEUE, WorkerOptions.newBuilder().setDisableEagerExecution(true).build());
      worker.registerWorkflowImplementationTypes(PlainChatTurnWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          instance.bean(ChatStoreActivitiesImpl.class), instance.bean(LlmActivitiesImpl.class));
      factory.start();
      instance.onClose(factory::shutdownNow);
    }

    @Override
    public String id() {
      return "plain/" + instance.backend;
    }

    @Override
    public SaturnInstance instance() {
      return instance;
    }

    @Override
    public void turn(String sessionId) throws Exception {
      String turnId = Ids.newId();
      String workflowId = WorkflowIds.chatTurn(tenant.companyId(), sessionId, turnId);
      turns.insertRunning(tenant.company(), turnId, sessionId, tenant.agentId(), tenant.agentVersion(), workflowId, null);
      PlainChatTurnWorkflow workflow = client.newWorkflowStub(
          PlainChatTurnWorkflow.class,
          WorkflowOptions.newBuilder()
              .setWorkflowId(workflowId)
              .setTaskQueue(TASK_QUEUE)
              .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
              .build());
      WorkflowClient.start(
          workflow::run, new ChatTurnInput(tenant.companyId(), tenant.agentId(), sessionId, turnId, MESSAGE));
      ChatTurnResult result =
          client.newUntypedWorkflowStub(workflowId).getResult(60, TimeUnit.SECONDS, ChatTurnResult.class);
      if (!InstantChatProvider.REPLY.equals(result.content())) {
        throw new IllegalStateException("workflow " + workflowId + " returned " + result);
      }
    }
  }

  /** The public API: {@code POST /v1/agents/{id}/chat} over a real socket, as a client sees a turn. */
  static final class Http implements TurnMode {
    private final SaturnInstance instance;
    private final Tenant tenant;
    private final HttpClient http;
    private final URI uri;

    Http(SaturnInstance instance, Tenant tenant) {
      this.instance = instance;
      this.tenant = tenant;
      this.http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
      this.uri = URI.create("http://127.0.0.1:" + instance.httpPort + "/v1/agents/" + tenant.agentId() + "/chat");
    }

    @Override
    public String id() {
      return "http/" + instance.backend;
    }

    @Override
    public SaturnInstance instance() {
      return instance;
    }

    @Override
    public void turn(String sessionId) throws Exception {
      String body = "{\"message\":\"" + MESSAGE + "\",\"session_id\":\"" + sessionId + "\"}";
      HttpRequest request = HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(90))
          .header("Authorization", "Bearer " + tenant.apiKey())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains(InstantChatProvider.REPLY)) {
        throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
      }
    }
  }
}
