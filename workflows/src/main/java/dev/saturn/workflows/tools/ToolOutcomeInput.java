package dev.saturn.workflows.tools;

/**
 * One call's outcome to store as its tool message: an outcome decided without running the tool
 * (not allowed, over the limit, invalid arguments, denied, timed out, failed), or the result of a
 * call that ran but could not be stored by its own activity ({@code execution} then says how it
 * ran).
 */
public record ToolOutcomeInput(
    String companyId, String sessionId, String turnId, int step, ToolOutcome outcome, ToolExecution execution) {}
