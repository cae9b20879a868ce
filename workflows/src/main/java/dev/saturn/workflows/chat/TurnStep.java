package dev.saturn.workflows.chat;

public enum TurnStep {
  STARTING,
  GENERATING,
  SAVING,
  COMPLETED,
  FAILED
}
