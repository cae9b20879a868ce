package dev.saturn.api.billing;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Operator;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.billing.InvoiceStatus;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Invoices of the caller's company: generate drafts (through the billing workflows), read, finalize. */
@ApiController
@RequestMapping("/v1/invoices")
@Validated
class InvoiceController {

  static final String PERIOD_PATTERN = "\\d{4}-(0[1-9]|1[0-2])";

  private final InvoiceRepository invoices;
  private final InvoiceGeneration generation;
  private final InvoiceFinalization finalization;

  InvoiceController(InvoiceRepository invoices, InvoiceGeneration generation, InvoiceFinalization finalization) {
    this.invoices = invoices;
    this.generation = generation;
    this.finalization = finalization;
  }

  /** {@code company_id}: only the operator token may name a company, and without one it bills every company. */
  record GenerateRequest(
      @NotBlank @Pattern(regexp = PERIOD_PATTERN, message = "must be a month YYYY-MM") String period,
      @Size(max = 36) String companyId) {}

  record InvoiceList(List<InvoiceView> items) {}

  @PostMapping("/generate")
  @Operation(summary = "Compute invoice drafts for a period: the caller's company, or (operator token) one or every company")
  @Requires(Permission.BILLING_MANAGE)
  @Requires.OperatorAllowed
  public ResponseEntity<InvoiceGeneration.Outcome> generate(@Valid @RequestBody GenerateRequest body) {
    BillingPeriod period = BillingPeriod.parse(body.period())
        .orElseThrow(() -> ApiException.invalidField("period", "must be a month YYYY-MM"));
    InvoiceGeneration.Outcome outcome;
    if (Operator.isCurrent()) {
      outcome = body.companyId() == null
          ? generation.billingRun(period)
          : generation.draft(generation.existingCompany(body.companyId()), period);
    } else {
      Caller caller = Caller.authenticated();
      if (body.companyId() != null && !body.companyId().equals(caller.company().value())) {
        throw ApiException.forbidden("Only the platform operator generates invoices for other companies");
      }
      outcome = generation.draft(caller.company(), period);
    }
    return ResponseEntity.status(outcome.completed() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(outcome);
  }

  @GetMapping
  @Operation(summary = "List the company's invoices, newest period first")
  @Requires(Permission.BILLING_READ)
  public InvoiceList list(
      Caller caller,
      @RequestParam(required = false) @Pattern(regexp = PERIOD_PATTERN, message = "must be a month YYYY-MM") String period,
      @RequestParam(required = false) @Pattern(regexp = "draft|finalized", message = "must be draft or finalized") String status,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    return new InvoiceList(invoices.list(caller.company(), period, status == null ? null : InvoiceStatus.fromDb(status), limit)
        .stream().map(InvoiceView::of).toList());
  }

  @GetMapping("/{invoiceId}")
  @Operation(summary = "One invoice with its lines")
  @Requires(Permission.BILLING_READ)
  public InvoiceView get(Caller caller, @PathVariable String invoiceId) {
    return invoices.find(caller.company(), invoiceId).map(InvoiceView::of)
        .orElseThrow(() -> ApiException.notFound("invoice " + invoiceId));
  }

  /** Recomputes the draft from the events and freezes it ({@link InvoiceFinalization}). */
  @PostMapping("/{invoiceId}/finalize")
  @Operation(summary = "Finalize an invoice draft: it never changes again")
  @Requires(Permission.BILLING_MANAGE)
  public InvoiceView finalizeInvoice(Caller caller, @PathVariable String invoiceId) {
    return InvoiceView.of(finalization.finalizeInvoice(caller, invoiceId));
  }
}
