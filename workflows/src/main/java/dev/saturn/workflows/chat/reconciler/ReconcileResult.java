package dev.saturn.workflows.chat.reconciler;

/** What one pass did, and where the next one starts (null: from the beginning). */
public record ReconcileResult(int checked, int abandoned, ReconcileCursor next) {}
