package dev.saturn.workflows.chat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The model call of a chat turn. Loads the pinned agent version and windowed history itself. */
@ActivityInterface
public interface LlmActivities {

  @ActivityMethod
  LlmCallResult generate(LlmCallInput input);
}
