package dev.saturn.worker;

import dev.saturn.activities.billing.BillingActivitiesImpl;
import dev.saturn.activities.chat.ChatStoreActivitiesImpl;
import dev.saturn.activities.chat.LlmActivitiesImpl;
import dev.saturn.activities.chat.TurnReconcilerActivitiesImpl;
import dev.saturn.activities.chat.TurnReconcilerProperties;
import dev.saturn.activities.tools.ToolActivitiesImpl;
import dev.saturn.activities.webhooks.WebhookActivitiesImpl;
import dev.saturn.activities.webhooks.WebhookRelayProperties;
import dev.saturn.worker.billing.BillingSchedule;
import dev.saturn.worker.billing.BillingScheduleProperties;
import dev.saturn.worker.billing.BillingWorkerProperties;
import dev.saturn.activities.kb.KbIndexingActivitiesImpl;
import dev.saturn.activities.kb.KbRetrievalActivitiesImpl;
import dev.saturn.activities.kb.text.KbParsingProperties;
import dev.saturn.worker.logging.LoggingContextInterceptor;
import dev.saturn.worker.schedule.PeriodicWorkflow;
import dev.saturn.workflows.billing.BillingRunWorkflowImpl;
import dev.saturn.workflows.billing.InvoiceDraftWorkflowImpl;
import dev.saturn.workflows.billing.MonthlyBillingWorkflowImpl;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerWorkflow;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import dev.saturn.workflows.kb.KbDeleteWorkflowImpl;
import dev.saturn.workflows.kb.KbIndexingWorkflowImpl;
import dev.saturn.workflows.webhooks.WebhookDeliveryWorkflowImpl;
import dev.saturn.workflows.webhooks.WebhookFanoutWorkflowImpl;
import dev.saturn.workflows.webhooks.WebhookRelayWorkflow;
import dev.saturn.workflows.webhooks.WebhookRelayWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(WorkerRole.ENABLED)
class WorkerConfig {

  private static final Logger log = LoggerFactory.getLogger(WorkerConfig.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  /** Stopped by {@link #workerShutdown}, which waits for in-flight tasks. */
  @Bean(destroyMethod = "")
  WorkerFactory workerFactory(
      WorkflowClient client, ChatStoreActivitiesImpl chatStore, LlmActivitiesImpl llm, ToolActivitiesImpl tools,
      BillingActivitiesImpl billing, BillingWorkerProperties billingWorkerProperties,
      KbRetrievalActivitiesImpl kbRetrieval, KbIndexingActivitiesImpl kbIndexing, KbParsingProperties kbParsing,
      TurnReconcilerActivitiesImpl reconciler, WebhookActivitiesImpl webhookActivities) {
    WorkerFactory factory = WorkerFactory.newInstance(
        client,
        WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new LoggingContextInterceptor()).build());
    Worker chat = factory.newWorker(TaskQueues.CHAT);
    chat.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class, TurnReconcilerWorkflowImpl.class);
    chat.registerActivitiesImplementations(chatStore, llm, tools, kbRetrieval, reconciler);
    Worker billingWorker = factory.newWorker(TaskQueues.BILLING, WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(billingWorkerProperties.concurrentDrafts())
        .build());
    billingWorker.registerWorkflowImplementationTypes(
        MonthlyBillingWorkflowImpl.class, BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
    billingWorker.registerActivitiesImplementations(billing);
    // No more knowledge-base activities at once than the parsing pool can hold: the rest wait in
    // Temporal's task queue (durably, without a deadline) instead of failing on a full pool.
    Worker kb = factory.newWorker(TaskQueues.KB, WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(kbParsing.threads() + kbParsing.queue())
        .build());
    kb.registerWorkflowImplementationTypes(KbIndexingWorkflowImpl.class, KbDeleteWorkflowImpl.class);
    kb.registerActivitiesImplementations(kbIndexing);
    // Outbound HTTP to tenants' receivers on a queue of its own: a slow receiver never delays a turn.
    Worker webhooks = factory.newWorker(TaskQueues.WEBHOOKS);
    webhooks.registerWorkflowImplementationTypes(
        WebhookFanoutWorkflowImpl.class, WebhookDeliveryWorkflowImpl.class, WebhookRelayWorkflowImpl.class);
    webhooks.registerActivitiesImplementations(webhookActivities);
    return factory;
  }

  /**
   * On a normal stop, polling ends at once and running activities get time to finish, so a deploy
   * does not turn every in-flight model call into a timeout and a retry.
   */
  @Bean
  DisposableBean workerShutdown(WorkerFactory factory) {
    return () -> {
      factory.shutdown();
      factory.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
      if (!factory.isTerminated()) {
        log.warn("Temporal worker still busy after {}; stopping it now (Temporal retries its tasks)", SHUTDOWN_GRACE);
        factory.shutdownNow();
      }
    };
  }

  /** Polling starts once the application is ready, never during context refresh (STACK.md gotcha 8). */
  @EventListener(ApplicationReadyEvent.class)
  void startPolling(ApplicationReadyEvent event) {
    WorkerFactory factory = event.getApplicationContext().getBean(WorkerFactory.class);
    factory.start();
    log.info("Temporal worker polling task queues {}, {}, {} and {}", TaskQueues.CHAT, TaskQueues.BILLING, TaskQueues.KB,
        TaskQueues.WEBHOOKS);
    if (event.getApplicationContext().getBean(BillingScheduleProperties.class).enabled()) {
      event.getApplicationContext().getBean(BillingSchedule.class).installWhenPossible();
    }
    if (event.getApplicationContext().getBean(TurnReconcilerProperties.class).enabled()) {
      event.getApplicationContext().getBean("turnReconcilerTrigger", PeriodicWorkflow.class).installWhenPossible();
    }
    if (event.getApplicationContext().getBean(WebhookRelayProperties.class).enabled()) {
      event.getApplicationContext().getBean("webhookRelayTrigger", PeriodicWorkflow.class).installWhenPossible();
    }
  }

  /** The webhook relay's periodic sweep, installed once the workers poll (see {@link #startPolling}). */
  @Bean(destroyMethod = "close")
  PeriodicWorkflow webhookRelayTrigger(WorkflowClient client, WebhookRelayProperties properties) {
    // A missed sweep is not worth catching up on: the next one does the same work.
    return new PeriodicWorkflow(client, WorkflowIds.WEBHOOK_RELAY, WebhookRelayWorkflow.class, TaskQueues.WEBHOOKS,
        properties.cron(), Duration.ofMinutes(1));
  }

  /** The turn reconciler's periodic trigger, installed once the workers poll (see {@link #startPolling}). */
  @Bean(destroyMethod = "close")
  PeriodicWorkflow turnReconcilerTrigger(WorkflowClient client, TurnReconcilerProperties properties) {
    // A missed pass is not worth catching up on: the next one does the same work.
    return new PeriodicWorkflow(client, WorkflowIds.TURN_RECONCILER, TurnReconcilerWorkflow.class, TaskQueues.CHAT,
        properties.cron(), Duration.ofMinutes(1));
  }

  /** The monthly billing trigger, installed once the workers poll (see {@link #startPolling}). */
  @Bean(destroyMethod = "close")
  BillingSchedule billingSchedule(WorkflowClient client, BillingScheduleProperties properties) {
    return new BillingSchedule(client, properties.cron());
  }
}
