/**
 * The tool side of a chat turn: the activity interface that checks, runs and records tool calls,
 * its records, and its options. The loop that drives it is {@code ChatTurnWorkflowImpl}'s.
 */
package dev.saturn.workflows.tools;
