package dev.saturn.workflows.tools;

/**
 * A tool call's result by reference: the result itself is the call's tool message in the database
 * (what the next model call reads), so a workflow payload carries only this, whatever the tool
 * answered.
 *
 * @param resultBytes the stored result's size in UTF-8 bytes
 * @param execution how the call ran; null when the tool was not run (refused, invalid, denied,
 *     timed out, or failed before it was sent)
 * @param unstoredContent null, except when the activity that ran the call could not store its
 *     result (database down): then the result travels here, once, and the workflow stores it
 *     with a store activity that is retried until the database answers
 */
public record ToolCallRef(
    String callId, String toolName, boolean ok, String errorCode, long resultBytes, ToolExecution execution,
    String unstoredContent) {

  public boolean stored() {
    return unstoredContent == null;
  }
}
