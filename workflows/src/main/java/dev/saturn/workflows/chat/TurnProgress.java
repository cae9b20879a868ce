package dev.saturn.workflows.chat;

/** {@code step} is one of {@link TurnStep}'s names; {@code agentVersion} is 0 until pinned. */
public record TurnProgress(TurnStep step, int agentVersion) {}
