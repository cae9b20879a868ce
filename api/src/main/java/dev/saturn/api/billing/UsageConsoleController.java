package dev.saturn.api.billing;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.db.billing.BillingPeriod;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's Usage page: a month's tokens and cost by day, agent and model ({@link UsageReport}, the
 * queries of {@code GET /v1/usage}), drawn by {@code usage-charts.js} from each chart's {@code data-chart}
 * attribute, each with its table; and the quota bar.
 */
@ConsoleController
class UsageConsoleController {

  static final String PATH = ConsoleController.ROOT + "/usage";

  private final UsageReport reports;
  private final JsonMapper json;
  private final Clock clock;

  UsageConsoleController(UsageReport reports, JsonMapper json, Clock clock) {
    this.reports = reports;
    this.json = json;
    this.clock = clock;
  }

  /** One chart and its table; {@code data} is the JSON the script draws. */
  record Chart(String id, String title, String keyHeading, List<UsageReport.Point> points, String data) {}

  @GetMapping(PATH)
  @Requires(Permission.BILLING_READ)
  String usage(Caller caller, @RequestParam(required = false) String month, Model model, HttpServletResponse response) {
    BillingPeriod current = BillingPeriod.containing(clock.instant());
    Optional<BillingPeriod> period = month == null || month.isBlank() ? Optional.of(current) : BillingPeriod.parse(month.strip());
    model.addAttribute("month", period.map(BillingPeriod::toString).orElse(month));
    if (period.isEmpty()) {
      response.setStatus(HttpStatus.BAD_REQUEST.value());
      model.addAttribute("monthError", "must be a month YYYY-MM from 2000-01 on");
      return "console/usage";
    }
    UsageReport.Report report = reports.month(caller.company(), period.get());
    model.addAttribute("report", report);
    model.addAttribute("charts", List.of(
        chart("usage-by-day", "Tokens and cost by day", "Day", report.byDay(), report.currency()),
        chart("usage-by-agent", "Tokens and cost by agent", "Agent", report.byAgent(), report.currency()),
        chart("usage-by-model", "Tokens and cost by model", "Model", report.byModel(), report.currency())));
    model.addAttribute("quotaPercent", report.quota() == null ? 0 : new QuotaStatus(report.period(), report.quota(),
        report.used()).percentUsed());
    return "console/usage";
  }

  private Chart chart(String id, String title, String keyHeading, List<UsageReport.Point> points, String currency) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", title);
    data.put("currency", currency);
    data.put("labels", points.stream().map(UsageReport.Point::label).toList());
    data.put("tokens", points.stream().map(UsageReport.Point::tokens).toList());
    data.put("cost", points.stream().map(p -> p.costMinor() / 100.0).toList());
    return new Chart(id, title, keyHeading, points, json.writeValueAsString(data));
  }
}
