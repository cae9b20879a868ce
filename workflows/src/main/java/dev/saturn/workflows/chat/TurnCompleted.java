package dev.saturn.workflows.chat;

public record TurnCompleted(String assistantMessageId) {}
