package dev.saturn.api.billing;

import dev.saturn.api.ApiController;
import dev.saturn.api.billing.Plans.CreatePlan;
import dev.saturn.api.billing.Plans.PlanView;
import dev.saturn.api.billing.Plans.UpdatePlan;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The operator's price lists over REST ({@link Plans}): what billing charges, the monthly token quota
 * and the rate limits of every company on the plan.
 */
@ApiController
@RequestMapping("/v1/plans")
@Validated
class PlanController {

  private final Plans plans;

  PlanController(Plans plans) {
    this.plans = plans;
  }

  record PlanList(List<PlanView> items, String nextCursor) {}

  @GetMapping
  @Operation(summary = "List the plans, in id order (operator token)")
  @Requires.Operator
  public PlanList list(
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<PlanView> page = plans.list(cursor, limit);
    return new PlanList(page.items(), page.nextCursor());
  }

  @GetMapping("/{planId}")
  @Operation(summary = "One plan (operator token)")
  @Requires.Operator
  public PlanView get(@PathVariable String planId) {
    return plans.get(planId);
  }

  @PostMapping
  @Operation(summary = "Create a plan (operator token)")
  @Requires.Operator
  @ResponseStatus(HttpStatus.CREATED)
  public PlanView create(@Valid @RequestBody CreatePlan request) {
    return plans.create(request);
  }

  @PatchMapping("/{planId}")
  @Operation(summary = "Change a plan's prices, quota or limits (operator token)")
  @Requires.Operator
  public PlanView update(@PathVariable String planId, @Valid @RequestBody UpdatePlan request) {
    return plans.update(planId, request);
  }
}
