package dev.saturn.workflows.chat.reconciler;

/** Where a pass stopped: the last turn it looked at (company, creation time as ISO-8601, id). */
public record ReconcileCursor(String companyId, String createdAt, String turnId) {}
