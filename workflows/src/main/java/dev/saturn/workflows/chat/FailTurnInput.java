package dev.saturn.workflows.chat;

public record FailTurnInput(String companyId, String turnId, String errorCode, String errorMessage) {}
