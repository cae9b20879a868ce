package dev.saturn.worker;

import dev.saturn.activities.chat.TurnReconcilerProperties;
import dev.saturn.activities.kb.text.KbParsingProperties;
import dev.saturn.activities.webhooks.WebhookRelayProperties;
import dev.saturn.worker.billing.BillingSchedule;
import dev.saturn.worker.billing.BillingScheduleProperties;
import dev.saturn.worker.billing.BillingWorkerProperties;
import dev.saturn.worker.logging.LoggingContextInterceptor;
import dev.saturn.worker.schedule.PeriodicWorkflow;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerWorkflow;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import dev.saturn.workflows.webhooks.WebhookRelayWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * What the worker role adds to the workers the Temporal starter builds from {@link SaturnWorkers}:
 * per-queue limits, the logging interceptor, a graceful stop and the periodic triggers. The starter
 * creates the {@link WorkerFactory} and starts it on {@code ApplicationReadyEvent} (STACK.md gotcha 8).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(WorkerRole.ENABLED)
class WorkerConfig {

  private static final Logger log = LoggerFactory.getLogger(WorkerConfig.class);
  static final String SHUTDOWN_BEAN = "workerShutdown";
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

  @Bean
  WorkerOptionsCustomizer saturnQueueLimits(
      BillingWorkerProperties billing, KbParsingProperties parsing, WorkerTuningProperties tuning) {
    return (options, workerName, taskQueue) -> {
      SaturnWorkers.limits(taskQueue, options, billing, parsing);
      return TaskQueues.CHAT.equals(taskQueue) ? tuning.applyToChatQueue(options) : options;
    };
  }

  /** A bean, so the starter adds it to the factory; tracing interceptors join it the same way. */
  @Bean
  WorkerInterceptor loggingContextInterceptor() {
    return new LoggingContextInterceptor();
  }

  /**
   * On a normal stop, polling ends at once and running activities get time to finish, so a deploy
   * does not turn every in-flight model call into a timeout and a retry. Registered as a dependent
   * of every activity bean, so it runs before any of them (or the pools and database they use)
   * is closed.
   */
  @Bean(SHUTDOWN_BEAN)
  DisposableBean workerShutdown(ObjectProvider<WorkerFactory> factories, ConfigurableListableBeanFactory beans) {
    WorkerFactory factory = factories.getIfAvailable();
    if (factory == null) {
      throw new IllegalStateException("saturn.roles includes worker, but the Temporal starter made no worker factory:"
          + " the role must be known before the context starts (environment, command line, application.yml),"
          + " not set by a @DynamicPropertySource");
    }
    for (String name : beans.getBeanNamesForType(WorkerFactory.class, true, false)) {
      beans.registerDependentBean(name, SHUTDOWN_BEAN);
    }
    for (Class<?> activity : SaturnWorkers.activityTypes()) {
      for (String name : beans.getBeanNamesForType(activity, true, false)) {
        beans.registerDependentBean(name, SHUTDOWN_BEAN);
      }
    }
    return () -> {
      factory.shutdown();
      factory.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS);
      if (!factory.isTerminated()) {
        log.warn("Temporal worker still busy after {}; stopping it now (Temporal retries its tasks)", SHUTDOWN_GRACE);
        factory.shutdownNow();
      }
    };
  }

  /** Once the application is ready (the starter starts polling on the same event): the periodic triggers. */
  @EventListener(ApplicationReadyEvent.class)
  void installTriggers(ApplicationReadyEvent event) {
    var context = event.getApplicationContext();
    @SuppressWarnings("unchecked")
    Collection<Worker> workers = context.getBean("temporalWorkers", Collection.class);
    log.info("Temporal workers for task queues {}", workers.stream().map(Worker::getTaskQueue).toList());
    if (context.getBean(BillingScheduleProperties.class).enabled()) {
      context.getBean(BillingSchedule.class).installWhenPossible();
    }
    if (context.getBean(TurnReconcilerProperties.class).enabled()) {
      context.getBean("turnReconcilerTrigger", PeriodicWorkflow.class).installWhenPossible();
    }
    if (context.getBean(WebhookRelayProperties.class).enabled()) {
      context.getBean("webhookRelayTrigger", PeriodicWorkflow.class).installWhenPossible();
    }
  }

  /** The webhook relay's periodic sweep, installed once the application is ready. */
  @Bean(destroyMethod = "close")
  PeriodicWorkflow webhookRelayTrigger(WorkflowClient client, WebhookRelayProperties properties) {
    // A missed sweep is not worth catching up on: the next one does the same work.
    return new PeriodicWorkflow(client, WorkflowIds.WEBHOOK_RELAY, WebhookRelayWorkflow.class, TaskQueues.WEBHOOKS,
        properties.cron(), Duration.ofMinutes(1));
  }

  /** The turn reconciler's periodic trigger, installed once the application is ready. */
  @Bean(destroyMethod = "close")
  PeriodicWorkflow turnReconcilerTrigger(WorkflowClient client, TurnReconcilerProperties properties) {
    // A missed pass is not worth catching up on: the next one does the same work.
    return new PeriodicWorkflow(client, WorkflowIds.TURN_RECONCILER, TurnReconcilerWorkflow.class, TaskQueues.CHAT,
        properties.cron(), Duration.ofMinutes(1));
  }

  /** The monthly billing trigger, installed once the application is ready. */
  @Bean(destroyMethod = "close")
  BillingSchedule billingSchedule(WorkflowClient client, BillingScheduleProperties properties) {
    return new BillingSchedule(client, properties.cron());
  }
}
