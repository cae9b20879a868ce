package dev.saturn.workflows.chat;

public enum TurnStep {
  STARTING,
  GENERATING,
  CALLING_TOOLS,
  AWAITING_APPROVAL,
  SAVING,
  COMPLETED,
  FAILED
}
