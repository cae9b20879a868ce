package dev.saturn.worker.billing;

import dev.saturn.workflows.billing.MonthlyBillingWorkflow;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the monthly billing trigger, idempotently, at every worker start: a Temporal Schedule
 * (created, or updated to the configured cron if it exists) where the server has the Schedule API,
 * and otherwise a cron workflow with the fixed id {@code billing-monthly} (the Java test server
 * answers UNIMPLEMENTED to CreateSchedule but runs cron workflows). Both start
 * {@link MonthlyBillingWorkflow}, which bills the month that has just ended.
 */
public class BillingSchedule implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BillingSchedule.class);

  /** How the trigger was installed. */
  public enum Kind {
    SCHEDULE,
    CRON_WORKFLOW
  }

  private static final Duration RETRY_EVERY = Duration.ofMinutes(1);

  private final WorkflowClient client;
  private final String cron;
  private ScheduledExecutorService retries;

  public BillingSchedule(WorkflowClient client, String cron) {
    this.client = client;
    this.cron = cron;
  }

  /**
   * Installs now, or, while Temporal cannot be reached, keeps trying every minute in the
   * background: a worker must start (and run chat turns) even when the trigger cannot be set yet.
   */
  public synchronized void installWhenPossible() {
    try {
      install();
    } catch (RuntimeException e) {
      log.warn("billing schedule not installed yet ({}); retrying every {}", e.toString(), RETRY_EVERY);
      retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "billing-schedule-install");
        thread.setDaemon(true);
        return thread;
      });
      retries.scheduleWithFixedDelay(this::retry, RETRY_EVERY.toSeconds(), RETRY_EVERY.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private void retry() {
    try {
      install();
      retries.shutdown();
    } catch (RuntimeException e) {
      log.warn("billing schedule still not installed: {}", e.toString());
    }
  }

  @Override
  public synchronized void close() {
    if (retries != null) {
      retries.shutdownNow();
    }
  }

  public Kind install() {
    ScheduleClient schedules = ScheduleClient.newInstance(
        client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace()).build());
    Schedule schedule = schedule();
    try {
      schedules.createSchedule(WorkflowIds.MONTHLY_BILLING, schedule, ScheduleOptions.newBuilder().build());
      log.info("billing schedule {} created (cron '{}' UTC)", WorkflowIds.MONTHLY_BILLING, cron);
      return Kind.SCHEDULE;
    } catch (ScheduleAlreadyRunningException exists) {
      schedules.getHandle(WorkflowIds.MONTHLY_BILLING).update(current -> new ScheduleUpdate(schedule));
      log.info("billing schedule {} updated (cron '{}' UTC)", WorkflowIds.MONTHLY_BILLING, cron);
      return Kind.SCHEDULE;
    } catch (RuntimeException e) {
      if (!isUnimplemented(e)) {
        throw e;
      }
    }
    startCronWorkflow();
    return Kind.CRON_WORKFLOW;
  }

  private Schedule schedule() {
    return Schedule.newBuilder()
        .setAction(ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(MonthlyBillingWorkflow.class)
            .setOptions(WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.MONTHLY_BILLING)
                .setTaskQueue(TaskQueues.BILLING)
                .build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron)).build())
        // A run missed while the cluster was down still happens within a week; never two at once.
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(Duration.ofDays(7))
            .build())
        .build();
  }

  private void startCronWorkflow() {
    MonthlyBillingWorkflow workflow = client.newWorkflowStub(
        MonthlyBillingWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.MONTHLY_BILLING)
            .setTaskQueue(TaskQueues.BILLING)
            .setCronSchedule(cron)
            .build());
    try {
      WorkflowClient.start(workflow::run);
      log.info("this Temporal server has no Schedule API; billing runs as cron workflow {} ('{}' UTC)",
          WorkflowIds.MONTHLY_BILLING, cron);
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.info("billing cron workflow {} already running", WorkflowIds.MONTHLY_BILLING);
    }
  }

  private static boolean isUnimplemented(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return true;
      }
    }
    return false;
  }
}
