package dev.saturn.workflows.chat;

public record ChatTurnInput(String companyId, String agentId, String sessionId, String turnId, String userMessage) {}
