package dev.saturn.workflows.chat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Database side of a chat turn. Each method is idempotent: keyed by the turn id and its role. */
@ActivityInterface
public interface ChatStoreActivities {

  /** Pins the agent version (first call wins), checks the agent is enabled, stores the user message. */
  @ActivityMethod
  TurnStarted startTurn(StartTurnInput input);

  /** Stores the assistant message and the turn's usage event, and marks the turn completed. */
  @ActivityMethod
  TurnCompleted completeTurn(CompleteTurnInput input);

  /** Marks the turn failed with an error code; the turn keeps its user message. */
  @ActivityMethod
  void failTurn(FailTurnInput input);
}
