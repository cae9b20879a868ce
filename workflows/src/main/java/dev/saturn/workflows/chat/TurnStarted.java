package dev.saturn.workflows.chat;

/** The agent version the turn runs with and the sequence number of its user message. */
public record TurnStarted(int agentVersion, long userMessageSeq) {}
