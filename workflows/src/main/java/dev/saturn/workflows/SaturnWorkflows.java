package dev.saturn.workflows;

import dev.saturn.workflows.billing.BillingRunWorkflowImpl;
import dev.saturn.workflows.billing.InvoiceDraftWorkflowImpl;
import dev.saturn.workflows.billing.MonthlyBillingWorkflowImpl;
import dev.saturn.workflows.chat.ChatTurnWorkflowImpl;
import dev.saturn.workflows.chat.reconciler.TurnReconcilerWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.kb.KbDeleteWorkflowImpl;
import dev.saturn.workflows.kb.KbIndexingWorkflowImpl;
import io.temporal.common.metadata.POJOWorkflowImplMetadata;
import io.temporal.common.metadata.POJOWorkflowMethodMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every workflow implementation of SATURN, by the task queue whose worker runs it: the one list
 * the worker registers and the replay command replays against, so the two cannot drift apart.
 */
public final class SaturnWorkflows {

  /** Implementations by task queue, in registration order. */
  public static final Map<String, List<Class<?>>> BY_TASK_QUEUE = byTaskQueue();

  /** All of them. */
  public static final List<Class<?>> IMPLEMENTATIONS =
      BY_TASK_QUEUE.values().stream().flatMap(List::stream).toList();

  private SaturnWorkflows() {}

  private static Map<String, List<Class<?>>> byTaskQueue() {
    Map<String, List<Class<?>>> queues = new LinkedHashMap<>();
    queues.put(TaskQueues.CHAT, List.of(ChatTurnWorkflowImpl.class, TurnReconcilerWorkflowImpl.class));
    queues.put(TaskQueues.BILLING, List.of(
        MonthlyBillingWorkflowImpl.class, BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class));
    queues.put(TaskQueues.KB, List.of(KbIndexingWorkflowImpl.class, KbDeleteWorkflowImpl.class));
    return Collections.unmodifiableMap(queues);
  }

  /** The implementations a worker on {@code taskQueue} registers; empty for a queue SATURN does not have. */
  public static Class<?>[] forTaskQueue(String taskQueue) {
    return BY_TASK_QUEUE.getOrDefault(taskQueue, List.of()).toArray(Class<?>[]::new);
  }

  /** The workflow type names (as they appear in histories) of every implementation. */
  public static Set<String> workflowTypes() {
    Set<String> types = new TreeSet<>();
    for (Class<?> implementation : IMPLEMENTATIONS) {
      for (POJOWorkflowMethodMetadata method :
          POJOWorkflowImplMetadata.newInstance(implementation).getWorkflowMethods()) {
        types.add(method.getName());
      }
    }
    return types;
  }
}
