package dev.saturn.workflows.tools;

/** What is recorded about a call that ran, once its result is stored: usage, audit row, events. */
public record ToolCallRecord(ToolCallInput call, ToolExecution execution, boolean ok, String errorCode) {}
