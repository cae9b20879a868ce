package dev.saturn.api.billing;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.Invoice;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.billing.InvoiceStatus;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's Invoices pages: the company's drafts and finalized invoices, one invoice with its lines
 * and digest, Finalize (after a confirm step) through {@link InvoiceFinalization} as
 * {@code POST /v1/invoices/{id}/finalize}, and a month's draft computed by the billing workflow through
 * {@link InvoiceGeneration} as {@code POST /v1/invoices/generate}.
 */
@ConsoleController
class InvoiceConsoleController {

  static final String PATH = ConsoleController.ROOT + "/invoices";
  private static final int PAGE = 200;

  private final InvoiceRepository invoices;
  private final InvoiceGeneration generation;
  private final InvoiceFinalization finalization;
  private final Clock clock;

  InvoiceConsoleController(InvoiceRepository invoices, InvoiceGeneration generation, InvoiceFinalization finalization,
      Clock clock) {
    this.invoices = invoices;
    this.generation = generation;
    this.finalization = finalization;
    this.clock = clock;
  }

  @GetMapping(PATH)
  @Requires(Permission.BILLING_READ)
  String list(Caller caller, Model model) {
    return listPage(caller, model, BillingPeriod.containing(clock.instant()).toString(), null);
  }

  /** Computes (or recomputes) the month's draft with the billing workflow, and opens it. */
  @PostMapping(PATH + "/generate")
  @Requires(Permission.BILLING_MANAGE)
  String generate(Caller caller, @RequestParam(defaultValue = "") String month, Model model, HttpServletResponse response,
      RedirectAttributes redirect) {
    Optional<BillingPeriod> period = BillingPeriod.parse(month.strip());
    if (period.isEmpty()) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      return listPage(caller, model, month, "must be a month YYYY-MM from 2000-01 on");
    }
    InvoiceGeneration.Outcome outcome;
    try {
      outcome = generation.draft(caller.company(), period.get());
    } catch (ApiException e) {
      response.setStatus(e.code() == ErrorCode.CONFLICT ? HttpStatus.CONFLICT.value() : HttpStatus.SERVICE_UNAVAILABLE.value());
      return listPage(caller, model, month, e.detail());
    }
    if (!outcome.completed()) {
      redirect.addAttribute("computing", period.get().toString());
      return "redirect:" + PATH;
    }
    redirect.addAttribute("computed", "");
    return "redirect:" + PATH + "/" + outcome.invoice().id();
  }

  @GetMapping(PATH + "/{invoiceId}")
  @Requires(Permission.BILLING_READ)
  String invoice(Caller caller, @PathVariable String invoiceId, @RequestParam(required = false) String confirm,
      Model model) {
    Invoice invoice = invoices.find(caller.company(), invoiceId).orElseThrow(() -> ApiException.notFound("invoice " + invoiceId));
    boolean draft = invoice.status() == InvoiceStatus.DRAFT;
    model.addAttribute("invoice", invoice);
    model.addAttribute("draft", draft);
    model.addAttribute("canManage", caller.can(Permission.BILLING_MANAGE));
    model.addAttribute("confirm", draft && "finalize".equals(confirm) && caller.can(Permission.BILLING_MANAGE));
    return "console/invoice";
  }

  @PostMapping(PATH + "/{invoiceId}/finalize")
  @Requires(Permission.BILLING_MANAGE)
  String finalizeInvoice(Caller caller, @PathVariable String invoiceId, RedirectAttributes redirect) {
    try {
      finalization.finalizeInvoice(caller, invoiceId);
      redirect.addAttribute("finalized", "");
    } catch (ApiException e) {
      if (e.code() != ErrorCode.CONFLICT) {
        throw e;
      }
      redirect.addAttribute("alreadyFinalized", "");
    }
    return "redirect:" + PATH + "/" + invoiceId;
  }

  private String listPage(Caller caller, Model model, String month, String monthError) {
    model.addAttribute("invoices", invoices.list(caller.company(), null, null, PAGE));
    model.addAttribute("canManage", caller.can(Permission.BILLING_MANAGE));
    model.addAttribute("month", month);
    model.addAttribute("monthError", monthError);
    return "console/invoices";
  }
}
