/**
 * The tool activities: {@link dev.saturn.activities.tools.ToolActivitiesImpl} decides what is the
 * same for every kind of tool (schema check, approval, redaction, outcome, retry), a
 * {@link dev.saturn.activities.tools.ToolExecutor} per kind (chosen by
 * {@link dev.saturn.activities.tools.ToolExecutors}) talks to the tool, and
 * {@link dev.saturn.activities.tools.ToolCallRecorder} writes everything a call leaves behind.
 * A new kind of tool is one {@code ToolExecutor} bean in a package of its own, like {@code http} and {@code mcp}.
 */
package dev.saturn.activities.tools;
