package dev.saturn.db.chat;

public record IdempotencyRecord(String scope, String key, String requestHash, String resourceType, String resourceId) {}
