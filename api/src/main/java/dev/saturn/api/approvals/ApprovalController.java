package dev.saturn.api.approvals;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;

@ApiController
@Validated
class ApprovalController {

  private final ApprovalService approvals;

  ApprovalController(ApprovalService approvals) {
    this.approvals = approvals;
  }

  record ApprovalList(List<ApprovalView> items, String nextCursor) {}

  record DecisionRequest(
      @NotNull @Pattern(regexp = "approve|deny", message = "must be approve or deny") String decision,
      @Size(max = 1000) String reason) {}

  record DecisionView(String turnId, String callId, String decision) {}

  /** Oldest first; pass {@code next_cursor} back as {@code cursor} for the next page. */
  @GetMapping("/v1/approvals")
  @Operation(summary = "List the company's tool calls waiting for approval, oldest first")
  @Requires(Permission.APPROVALS_DECIDE)
  public ApprovalList pending(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<ApprovalView> page = approvals.pending(caller, cursor, limit);
    return new ApprovalList(page.items(), page.nextCursor());
  }

  /**
   * Approves (the tool runs) or denies (the model is told TOOL_APPROVAL_DENIED) a pending call.
   * A call that is unknown, already decided or timed out answers 409 CONFLICT.
   */
  @PostMapping("/v1/turns/{turnId}/approvals/{callId}")
  @Operation(summary = "Approve or deny a tool call the turn is waiting for")
  @Requires(Permission.APPROVALS_DECIDE)
  public DecisionView decide(
      Caller caller,
      @PathVariable String turnId,
      @PathVariable @Size(max = 128) String callId,
      @Valid @RequestBody DecisionRequest request) {
    ApprovalService.Decided decided = approvals.decide(caller, turnId, callId, request.decision(), request.reason());
    return new DecisionView(decided.turnId(), decided.callId(), decided.decision());
  }
}
