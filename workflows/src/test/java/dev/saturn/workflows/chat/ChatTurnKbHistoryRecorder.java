package dev.saturn.workflows.chat;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.kb.KbCitation;
import dev.saturn.workflows.kb.KbRetrievalActivities;
import dev.saturn.workflows.kb.KbRetrieval;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records a chat turn with knowledge-base retrieval for {@link ChatTurnReplayTest}:
 * {@code ./mvnw -pl workflows test -Dtest=ChatTurnKbHistoryRecorder -Dsaturn.recordHistories=true}.
 */
@EnabledIfSystemProperty(named = "saturn.recordHistories", matches = "true")
class ChatTurnKbHistoryRecorder {

  @Test
  void recordTurnWithRetrieval() throws Exception {
    String file = "chat-turn-kb-retrieval.json";
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.CHAT);
      worker.registerWorkflowImplementationTypes(ChatTurnWorkflowImpl.class);
      ChatStoreActivities store = mock(ChatStoreActivities.class, withSettings().withoutAnnotations());
      LlmActivities llm = mock(LlmActivities.class, withSettings().withoutAnnotations());
      KbRetrievalActivities kb = mock(KbRetrievalActivities.class, withSettings().withoutAnnotations());
      when(store.startTurn(any())).thenReturn(new TurnStarted(1, 3, true));
      when(kb.retrieve(any())).thenReturn(new KbRetrieval(List.of(new KbCitation("d1", "policy.pdf", 2, 0.7, "Refunds"))));
      when(llm.generate(any())).thenReturn(new LlmCallResult("30 days [1]", "offline", "saturn-offline", 40, 9, true));
      when(store.completeTurn(any())).thenReturn(new TurnCompleted("m-3"));
      worker.registerActivitiesImplementations(store, llm, kb);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = "chat-turn:company-1:session-1:" + file;
      client.newWorkflowStub(ChatTurnWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.CHAT).build())
          .run(new ChatTurnInput("company-1", "agent-1", "session-1", "turn-1", "refund window?"));
      Files.createDirectories(ChatTurnHistoryRecorder.DIR);
      Files.writeString(ChatTurnHistoryRecorder.DIR.resolve(file), client.fetchHistory(id).toJson(true));
    }
  }
}
