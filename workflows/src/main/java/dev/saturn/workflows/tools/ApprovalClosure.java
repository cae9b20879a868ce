package dev.saturn.workflows.tools;

/** How a pending approval ended: {@code outcome} is approved, denied or timed_out. */
public record ApprovalClosure(
    String companyId, String turnId, String callId, String outcome, String decidedBy, String reason) {

  public static final String APPROVED = "approved";
  public static final String DENIED = "denied";
  public static final String TIMED_OUT = "timed_out";
}
