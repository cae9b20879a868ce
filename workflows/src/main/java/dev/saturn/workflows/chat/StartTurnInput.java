package dev.saturn.workflows.chat;

public record StartTurnInput(String companyId, String turnId, String agentId, String sessionId, String userMessage) {}
