package dev.saturn.activities.tools;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ToolsPropertiesTest {

  @Test
  void givenADefaultApprovalWaitBeyondThirtyDays_itShouldBeRefused() {
    assertThatThrownBy(() -> new ToolsProperties(Duration.ofDays(31), 262_144, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saturn.tools.approval-timeout");
  }

  @Test
  void givenAResponseCapThatCouldNotTravelInOnePayload_itShouldBeRefused() {
    assertThatThrownBy(() -> new ToolsProperties(Duration.ofHours(24), 4 * 1024 * 1024, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("saturn.tools.max-response-bytes");
  }
}
