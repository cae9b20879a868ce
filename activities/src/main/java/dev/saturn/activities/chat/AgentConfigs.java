package dev.saturn.activities.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.workflows.agents.AgentConfig;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;

/** Reads stored agent configs; a config that cannot be read is a bug no retry fixes. */
public final class AgentConfigs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentConfigs() {}

  public static AgentConfig parse(String json) {
    try {
      return JSON.readValue(json, AgentConfig.class).withDefaults();
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "stored agent config is not valid JSON", ErrorCode.VALIDATION_FAILED.name(), e);
    }
  }
}
