package dev.saturn.workflows.chat;

/** A human's answer to a pending tool call: {@code decision} is {@code approve} or {@code deny}. */
public record ApprovalDecision(String callId, String decision, String reason, String decidedBy) {

  public static final String APPROVE = "approve";
  public static final String DENY = "deny";

  public boolean approved() {
    return APPROVE.equals(decision);
  }
}
