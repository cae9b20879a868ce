package dev.saturn.worker;

import dev.saturn.activities.billing.BillingActivitiesImpl;
import dev.saturn.activities.chat.ChatStoreActivitiesImpl;
import dev.saturn.activities.chat.LlmActivitiesImpl;
import dev.saturn.activities.chat.TurnReconcilerActivitiesImpl;
import dev.saturn.activities.kb.KbIndexingActivitiesImpl;
import dev.saturn.activities.kb.KbRetrievalActivitiesImpl;
import dev.saturn.activities.kb.text.KbParsingProperties;
import dev.saturn.activities.tools.ToolActivitiesImpl;
import dev.saturn.worker.billing.BillingWorkerProperties;
import dev.saturn.workflows.SaturnWorkflows;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.worker.WorkerOptions;
import java.beans.Introspector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.ClassUtils;

/**
 * The one registration list: every task queue a worker process polls, the workflows and activities
 * it runs there, and the queue's limits. The Temporal starter builds the workers from it
 * ({@link WorkerRegistrations} turns it into {@code spring.temporal.workers[*]}); nothing else
 * registers workflows or activities.
 */
public final class SaturnWorkers {

  /**
   * @param activities activity beans by type; each is the bean of that type under Spring's default
   *     name (the decapitalised simple class name), which is how the starter looks them up
   */
  public record Queue(String taskQueue, List<Class<?>> workflows, List<Class<?>> activities) {}

  /** Workflows come from {@link SaturnWorkflows}, which the replay command replays against too. */
  public static final List<Queue> QUEUES = List.of(
      new Queue(TaskQueues.CHAT,
          SaturnWorkflows.BY_TASK_QUEUE.get(TaskQueues.CHAT),
          List.of(ChatStoreActivitiesImpl.class, LlmActivitiesImpl.class, ToolActivitiesImpl.class,
              KbRetrievalActivitiesImpl.class, TurnReconcilerActivitiesImpl.class)),
      new Queue(TaskQueues.BILLING,
          SaturnWorkflows.BY_TASK_QUEUE.get(TaskQueues.BILLING),
          List.of(BillingActivitiesImpl.class)),
      new Queue(TaskQueues.KB,
          SaturnWorkflows.BY_TASK_QUEUE.get(TaskQueues.KB),
          List.of(KbIndexingActivitiesImpl.class)));

  private SaturnWorkers() {}

  /** The queue's limits on top of Temporal's defaults. */
  static WorkerOptions.Builder limits(
      String taskQueue, WorkerOptions.Builder options, BillingWorkerProperties billing, KbParsingProperties parsing) {
    return switch (taskQueue) {
      // Each draft holds a database connection for its whole aggregation.
      case TaskQueues.BILLING -> options.setMaxConcurrentActivityExecutionSize(billing.concurrentDrafts());
      // No more knowledge-base activities at once than the parsing pool can hold: the rest wait in
      // Temporal's task queue (durably, without a deadline) instead of failing on a full pool.
      case TaskQueues.KB -> options.setMaxConcurrentActivityExecutionSize(parsing.threads() + parsing.queue());
      default -> options;
    };
  }

  /** The list as the starter's explicit worker configuration. */
  static Map<String, Object> starterProperties() {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < QUEUES.size(); i++) {
      Queue queue = QUEUES.get(i);
      String prefix = "spring.temporal.workers[" + i + "].";
      properties.put(prefix + "task-queue", queue.taskQueue());
      for (int j = 0; j < queue.workflows().size(); j++) {
        properties.put(prefix + "workflow-classes[" + j + "]", queue.workflows().get(j).getName());
      }
      for (int j = 0; j < queue.activities().size(); j++) {
        properties.put(prefix + "activity-beans[" + j + "]", beanName(queue.activities().get(j)));
      }
    }
    return properties;
  }

  /** Spring's default bean name for a class, as {@code AnnotationBeanNameGenerator} makes it. */
  static String beanName(Class<?> type) {
    return Introspector.decapitalize(ClassUtils.getShortName(type));
  }

  static List<Class<?>> activityTypes() {
    return QUEUES.stream().flatMap(queue -> queue.activities().stream()).toList();
  }
}
