package dev.saturn.workflows.chat;

/**
 * A tool call waiting for a human decision. {@code arguments} are redacted; times are epoch
 * milliseconds of workflow time.
 */
public record PendingApproval(String callId, String tool, String arguments, long requestedAtMillis, long expiresAtMillis) {}
