package dev.saturn.worker.schedule;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.metadata.POJOWorkflowInterfaceMetadata;
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
 * Installs a periodic trigger of a workflow, idempotently, at every worker start: a Temporal
 * Schedule (created, or updated to the configured cron if it exists) where the server has the
 * Schedule API, and otherwise a cron workflow with the same fixed id (the Java test server answers
 * UNIMPLEMENTED to CreateSchedule but runs cron workflows). Overlapping runs are skipped.
 */
public class PeriodicWorkflow implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PeriodicWorkflow.class);

  /** How the trigger was installed. */
  public enum Kind {
    SCHEDULE,
    CRON_WORKFLOW
  }

  private static final Duration RETRY_EVERY = Duration.ofMinutes(1);

  private final WorkflowClient client;
  private final String id;
  private final Class<?> workflowType;
  private final String taskQueue;
  private final String cron;
  private final Duration catchupWindow;
  private ScheduledExecutorService retries;

  /**
   * @param id the Schedule's id, and the cron workflow's
   * @param workflowType a workflow interface whose method takes no arguments
   * @param catchupWindow how late a run missed while the cluster was down may still start
   */
  public PeriodicWorkflow(
      WorkflowClient client, String id, Class<?> workflowType, String taskQueue, String cron, Duration catchupWindow) {
    this.client = client;
    this.id = id;
    this.workflowType = workflowType;
    this.taskQueue = taskQueue;
    this.cron = cron;
    this.catchupWindow = catchupWindow;
  }

  /**
   * Installs now, or, while Temporal cannot be reached, keeps trying every minute in the
   * background: a worker must start (and run chat turns) even when the trigger cannot be set yet.
   */
  public synchronized void installWhenPossible() {
    try {
      install();
    } catch (RuntimeException e) {
      log.warn("schedule {} not installed yet ({}); retrying every {}", id, e.toString(), RETRY_EVERY);
      retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "schedule-install-" + id);
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
      log.warn("schedule {} still not installed: {}", id, e.toString());
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
        // The client's data converter, so a payload codec applies to the schedule's action too.
        ScheduleClientOptions.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter())
            .build());
    Schedule schedule = schedule();
    try {
      schedules.createSchedule(id, schedule, ScheduleOptions.newBuilder().build());
      log.info("schedule {} created (cron '{}' UTC)", id, cron);
      return Kind.SCHEDULE;
    } catch (ScheduleAlreadyRunningException exists) {
      schedules.getHandle(id).update(current -> new ScheduleUpdate(schedule));
      log.info("schedule {} updated (cron '{}' UTC)", id, cron);
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
            .setWorkflowType(workflowType)
            .setOptions(WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(taskQueue).build())
            .build())
        .setSpec(ScheduleSpec.newBuilder().setCronExpressions(List.of(cron)).build())
        // A run missed while the cluster was down still happens within the catch-up window; never two at once.
        .setPolicy(SchedulePolicy.newBuilder()
            .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
            .setCatchupWindow(catchupWindow)
            .build())
        .build();
  }

  private void startCronWorkflow() {
    WorkflowStub workflow = client.newUntypedWorkflowStub(
        POJOWorkflowInterfaceMetadata.newInstance(workflowType).getWorkflowType().orElseThrow(),
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(taskQueue).setCronSchedule(cron).build());
    try {
      workflow.start();
      log.info("this Temporal server has no Schedule API; {} runs as a cron workflow ('{}' UTC)", id, cron);
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.info("cron workflow {} already running", id);
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
