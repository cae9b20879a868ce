package dev.saturn.workflows.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.saturn.workflows.kb.KbCitation;
import dev.saturn.workflows.kb.KbRetrievalActivities;
import dev.saturn.workflows.kb.KbRetrieval;
import dev.saturn.workflows.kb.KbRetrieveInput;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** The knowledge-base step of a chat turn: retrieval only when the agent has a ready document. */
class ChatTurnRetrievalTest {

  static final ChatTurnInput INPUT = new ChatTurnInput("c1", "a1", "s1", "t1", "what is the refund window?");
  static final LlmCallResult REPLY = new LlmCallResult("30 days [1]", "offline", "saturn-offline", 12, 5, true);
  static final KbCitation CITATION = new KbCitation("d1", "policy.pdf", 3, 0.81, "Refunds within 30 days");

  ChatTurnTestEnv chat;
  ChatStoreActivities store;
  LlmActivities llm;
  KbRetrievalActivities kb;

  @BeforeEach
  void setUp() {
    kb = ChatTurnTestEnv.activityMock(KbRetrievalActivities.class);
    chat = new ChatTurnTestEnv(kb);
    store = chat.store;
    llm = chat.llm;
    when(llm.generate(any())).thenReturn(REPLY);
    when(store.completeTurn(any())).thenReturn(new TurnCompleted("m2"));
  }

  @AfterEach
  void tearDown() {
    chat.close();
  }

  ChatTurnResult run() {
    return chat.newTurn().run(INPUT);
  }

  @Test
  void givenAnAgentWithAKnowledgeBase_whenATurnRuns_itShouldRetrieveBeforeTheModelCallAndReturnCitations() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(2, 41, true));
    when(kb.retrieve(any())).thenReturn(new KbRetrieval(List.of(CITATION)));

    ChatTurnResult result = run();

    assertThat(result.citations()).containsExactly(CITATION);
    InOrder order = inOrder(store, kb, llm);
    order.verify(store).startTurn(any());
    order.verify(kb).retrieve(new KbRetrieveInput("c1", "a1", 2, "t1"));
    order.verify(llm).generate(any());
    order.verify(store).completeTurn(any());
  }

  @Test
  void givenAnAgentWithoutAKnowledgeBase_whenATurnRuns_itShouldNotRetrieveAndHaveNoCitations() {
    when(store.startTurn(any())).thenReturn(new TurnStarted(2, 41));

    ChatTurnResult result = run();

    assertThat(result.citations()).isEmpty();
    verify(kb, never()).retrieve(any());
  }
}
