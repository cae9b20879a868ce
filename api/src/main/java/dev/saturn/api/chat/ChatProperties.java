package dev.saturn.api.chat;

import dev.saturn.workflows.tools.ApprovalTimeouts;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param resultWait how long {@code POST /chat} waits for the turn before answering 202
 * @param maxMessageChars the longest user message accepted
 * @param workflowExecutionTimeout how long a turn's workflow may run at all; past it Temporal ends
 *     the workflow and the turn reconciler fails the turn {@code TURN_ABANDONED}. Must be longer
 *     than the longest approval wait a tool may ask for ({@link ApprovalTimeouts#MAX}, 30 days)
 */
@ConfigurationProperties("saturn.chat")
public record ChatProperties(
    @DefaultValue("30s") Duration resultWait,
    @DefaultValue("32000") int maxMessageChars,
    @DefaultValue("35d") Duration workflowExecutionTimeout) {

  public ChatProperties {
    if (workflowExecutionTimeout == null) {
      workflowExecutionTimeout = Duration.ofDays(35);
    }
    if (workflowExecutionTimeout.compareTo(ApprovalTimeouts.MAX) <= 0) {
      throw new IllegalArgumentException("saturn.chat.workflow-execution-timeout must be longer than the longest "
          + "approval wait a tool may ask for (" + ApprovalTimeouts.MAX + ")");
    }
  }
}
