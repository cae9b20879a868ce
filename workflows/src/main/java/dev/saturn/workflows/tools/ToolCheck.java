package dev.saturn.workflows.tools;

/**
 * The verdict on a call before it runs. {@code error} (when not {@code valid}) tells the model what
 * is wrong with its arguments. {@code idempotent} selects the retrying stub.
 */
public record ToolCheck(
    boolean valid, String error, boolean requiresApproval, long approvalTimeoutSeconds, boolean idempotent) {

  public static ToolCheck invalid(String error) {
    return new ToolCheck(false, error, false, 0, false);
  }
}
