package dev.saturn.app.replay;

import dev.saturn.workflows.SaturnWorkflows;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.List;

/**
 * Replays one history against every SATURN workflow implementation in this jar, on a worker that
 * never polls: the workflow code runs again from the recorded events alone, executes no activity
 * and sends nothing to any server.
 */
final class HistoryReplayer {

  /** Where the replayed task's own failure starts in the SDK's message. */
  private static final String QUERY_ERROR = ", error=";

  private HistoryReplayer() {}

  enum Verdict {
    /** The code produced the recorded commands all the way through. */
    DETERMINISTIC,
    /** The code produced other commands than the history holds. */
    NON_DETERMINISTIC,
    /** The replay failed in another way (e.g. the workflow code threw while replaying). */
    FAILED
  }

  record Outcome(Verdict verdict, String error) {}

  /** What the history is, read from its first and last events. */
  record Summary(String workflowType, String taskQueue, String runId, int events, String lastEvent) {

    static Summary of(WorkflowExecutionHistory history) {
      List<HistoryEvent> events = history.getEvents();
      if (events.isEmpty() || !events.get(0).hasWorkflowExecutionStartedEventAttributes()) {
        throw new CannotReplayException(
            "the history does not begin with WorkflowExecutionStarted, so it is not a whole workflow history");
      }
      var started = events.get(0).getWorkflowExecutionStartedEventAttributes();
      return new Summary(
          started.getWorkflowType().getName(),
          started.getTaskQueue().getName(),
          // The run the history was recorded in (an exported file holds no other trace of it).
          started.getOriginalExecutionRunId(),
          events.size(),
          history.getLastEvent().getEventType().name().replaceFirst("^EVENT_TYPE_", ""));
    }
  }

  /**
   * @param client the client the replaying worker belongs to; replay itself makes no calls on it
   */
  static Outcome replay(WorkflowExecutionHistory history, Summary summary, WorkflowClient client) {
    if (!SaturnWorkflows.workflowTypes().contains(summary.workflowType())) {
      throw new CannotReplayException("workflow type " + summary.workflowType() + " is not a SATURN workflow;"
          + " this jar has " + String.join(", ", SaturnWorkflows.workflowTypes()));
    }
    // Never started and never shut down: shutting a worker down tells the server it stops polling,
    // a call a replay has no business making.
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker = factory.newWorker(summary.taskQueue());
    worker.registerWorkflowImplementationTypes(SaturnWorkflows.IMPLEMENTATIONS.toArray(Class<?>[]::new));
    try {
      worker.replayWorkflowExecution(history);
      return new Outcome(Verdict.DETERMINISTIC, null);
    } catch (Exception e) {
      String message = messageChain(e);
      return new Outcome(isNonDeterminism(message) ? Verdict.NON_DETERMINISTIC : Verdict.FAILED, essential(message));
    }
  }

  /**
   * The SDK reports a replay failure as the text of the failed workflow task, so the kind is told
   * by the exception's name and Temporal's non-determinism error code inside it.
   */
  static boolean isNonDeterminism(String message) {
    return message.contains("NonDeterministicException") || message.contains("[TMPRL1100]");
  }

  /**
   * The failure of the replayed workflow task without the query wrapper around it and without its
   * stack trace: what an operator needs to find the diverging event.
   */
  static String essential(String message) {
    String failure = message.contains(QUERY_ERROR) ? message.substring(message.indexOf(QUERY_ERROR) + QUERY_ERROR.length()) : message;
    int stack = failure.indexOf("\n\tat ");
    return (stack < 0 ? failure : failure.substring(0, stack)).strip();
  }

  private static String messageChain(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (!text.isEmpty()) {
        text.append("\n  caused by: ");
      }
      text.append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }
}
