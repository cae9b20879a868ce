package dev.saturn.workflows.chat;

/** What the workflow accepted: the call and the decision, which the turn then acts on. */
public record ApprovalResult(String callId, String decision) {}
