package dev.saturn.api.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChatPropertiesTest {

  @Test
  void givenAnExecutionTimeoutNoLongerThanTheLongestApprovalWait_itShouldBeRefused() {
    assertThatThrownBy(() -> new ChatProperties(Duration.ofSeconds(30), 100, Duration.ofDays(30)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saturn.chat.workflow-execution-timeout");
    assertThat(new ChatProperties(Duration.ofSeconds(30), 100, Duration.ofDays(31)).workflowExecutionTimeout())
        .isEqualTo(Duration.ofDays(31));
    assertThat(new ChatProperties(Duration.ofSeconds(30), 100, null).workflowExecutionTimeout())
        .isEqualTo(Duration.ofDays(35));
  }
}
