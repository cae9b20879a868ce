package dev.saturn.workflows.chat;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * {@link ChatTurnWorkflowImpl} on the time-skipping test server with mocked activities: the chat
 * store and LLM always, plus whatever further activities a test passes (tools, knowledge base).
 */
final class ChatTurnTestEnv implements AutoCloseable {

  static final String WORKFLOW_ID = "chat-turn:c1:s1:k1";

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final ChatStoreActivities store = activityMock(ChatStoreActivities.class);
  final LlmActivities llm = activityMock(LlmActivities.class);

  ChatTurnTestEnv(Object... moreActivities) {
    env = TestWorkflowEnvironment.newInstance();
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(TaskQueues.CHAT);
    worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
    Object[] activities = new Object[2 + moreActivities.length];
    activities[0] = store;
    activities[1] = llm;
    System.arraycopy(moreActivities, 0, activities, 2, moreActivities.length);
    worker.registerActivitiesImplementations(activities);
    env.start();
    client = env.getWorkflowClient();
  }

  /** A mock the worker accepts as an activity implementation (Temporal's annotations not copied). */
  static <T> T activityMock(Class<T> activities) {
    return mock(activities, withSettings().withoutAnnotations());
  }

  /** A stub for a new turn with the fixed {@link #WORKFLOW_ID} on the chat queue. */
  ChatTurnWorkflow newTurn() {
    return client.newWorkflowStub(
        ChatTurnWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(WORKFLOW_ID).setTaskQueue(TaskQueues.CHAT).build());
  }

  @Override
  public void close() {
    env.close();
  }
}
