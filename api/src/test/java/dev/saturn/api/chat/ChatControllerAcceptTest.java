package dev.saturn.api.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Accept headers get the turn as a stream: only one that names text/event-stream. */
class ChatControllerAcceptTest {

  @Test
  void givenAcceptHeaders_whenChoosingTheAnswer_itShouldStreamOnlyWhenEventStreamIsNamed() {
    assertThat(ChatController.wantsEventStream("text/event-stream")).isTrue();
    assertThat(ChatController.wantsEventStream("application/json, text/event-stream;q=0.9")).isTrue();
    assertThat(ChatController.wantsEventStream("TEXT/Event-Stream; charset=utf-8")).isTrue();
    assertThat(ChatController.wantsEventStream("*/*")).isFalse();
    assertThat(ChatController.wantsEventStream("text/*")).isFalse();
    assertThat(ChatController.wantsEventStream("application/json")).isFalse();
    assertThat(ChatController.wantsEventStream(null)).isFalse();
    assertThat(ChatController.wantsEventStream("not a ;; media type")).isFalse();
  }
}
