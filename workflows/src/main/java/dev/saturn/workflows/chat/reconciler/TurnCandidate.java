package dev.saturn.workflows.chat.reconciler;

/** A turn still running since before the grace period, and the workflow that should finish it. */
public record TurnCandidate(String companyId, String turnId, String workflowId) {}
