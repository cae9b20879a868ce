package dev.saturn.activities.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The meters kept per tag combination count each combination apart, in the registry that is scraped. */
class BusinessMetricsTest {

  @Test
  void givenFactsWithDifferentTags_whenRecorded_eachCombinationShouldCountOnItsOwn() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BusinessMetrics metrics = new BusinessMetrics(registry);

    metrics.toolCallStored("http", null);
    metrics.toolCallStored("http", null);
    metrics.toolCallStored("mcp", null);
    metrics.toolCallStored("http", "tool_timeout");
    metrics.approvalClosed("approved", Duration.ofSeconds(5));
    metrics.approvalClosed("denied", Duration.ofSeconds(-1));

    assertThat(registry.get(BusinessMetrics.TOOL_CALLS).tags("tool_kind", "http", "outcome", "ok").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get(BusinessMetrics.TOOL_CALLS).tags("tool_kind", "mcp", "outcome", "ok").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get(BusinessMetrics.TOOL_CALLS).tags("tool_kind", "http").counters()).hasSize(2);
    assertThat(registry.get(BusinessMetrics.APPROVAL_WAIT).tags("outcome", "approved").timer().totalTime(
        java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(5.0);
    assertThat(registry.get(BusinessMetrics.APPROVAL_WAIT).tags("outcome", "denied").timer().count()).isEqualTo(1);
  }

  @Test
  void givenAModelCall_whenTimed_itsProviderModelAndOutcomeShouldTagIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BusinessMetrics metrics = new BusinessMetrics(registry);

    assertThat(metrics.timeLlmCall("openai", "gpt-x", () -> "answer")).isEqualTo("answer");
    assertThat(metrics.timeLlmCall("openai", null, () -> "answer")).isEqualTo("answer");

    assertThat(registry.get(BusinessMetrics.LLM_CALL_DURATION)
        .tags("provider", "openai", "model", "gpt-x", "outcome", "success").timer().count()).isEqualTo(1);
    assertThat(registry.get(BusinessMetrics.LLM_CALL_DURATION)
        .tags("provider", "openai", "model", BusinessMetrics.NONE, "outcome", "success").timer().count()).isEqualTo(1);
  }
}
