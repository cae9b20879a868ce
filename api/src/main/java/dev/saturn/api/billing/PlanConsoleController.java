package dev.saturn.api.billing;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.console.ConsoleNotices;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator console's Plans page: create a plan, edit its prices and quota, through the same
 * {@link Plans} and validation ({@link Plans.CreatePlan}, {@link Plans.UpdatePlan}) as {@code /v1/plans}.
 * Model prices are typed one model a line: {@code model input-per-1k output-per-1k} (minor units).
 */
@ConsoleController
class PlanConsoleController {

  static final String PATH = ConsoleController.ROOT + "/operator/plans";
  private static final int PAGE = 200;

  /** The form as typed, shown again with its errors. */
  record PlanForm(String id, String name, String currency, String baseFee, String includedTokens, String quota,
      String toolCallPrice, String modelPrices) {}

  private final Plans plans;
  private final Validator validator;

  PlanConsoleController(Plans plans, Validator validator) {
    this.plans = plans;
    this.validator = validator;
  }

  @GetMapping(PATH)
  @Requires.Operator
  String list(Model model) {
    return listPage(model, new PlanForm("", "", "USD", "0", "0", "", "0", "echo 0 0"), Map.of());
  }

  @PostMapping(PATH)
  @Requires.Operator
  String create(
      @RequestParam(defaultValue = "") String id, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String currency, @RequestParam(defaultValue = "") String baseFee,
      @RequestParam(defaultValue = "") String includedTokens, @RequestParam(defaultValue = "") String quota,
      @RequestParam(defaultValue = "") String toolCallPrice, @RequestParam(defaultValue = "") String modelPrices,
      Model model, RedirectAttributes redirect) {
    PlanForm form = new PlanForm(id, name, currency, baseFee, includedTokens, quota, toolCallPrice, modelPrices);
    Map<String, String> errors = new LinkedHashMap<>();
    Plans.CreatePlan request = new Plans.CreatePlan(id.strip(), name.strip(), currency.strip(),
        number(errors, "baseFee", baseFee, true), number(errors, "includedTokens", includedTokens, true),
        number(errors, "quota", quota, false), number(errors, "toolCallPrice", toolCallPrice, true),
        prices(errors, modelPrices), null);
    validate(errors, request);
    if (!errors.isEmpty()) {
      return listPage(model, form, errors);
    }
    try {
      Plans.PlanView plan = plans.create(request);
      redirect.addFlashAttribute("notice", "Plan " + plan.id() + " created.");
      return "redirect:" + PATH;
    } catch (ApiException refused) {
      errors.put("id", refused.detail());
      return listPage(model, form, errors);
    }
  }

  @GetMapping(PATH + "/{planId}")
  @Requires.Operator
  String edit(@PathVariable String planId, Model model, RedirectAttributes redirect) {
    try {
      Plans.PlanView plan = plans.get(planId);
      return editPage(model, plan, new PlanForm(plan.id(), plan.name(), plan.currency(),
          Long.toString(plan.baseFeeMinor()), Long.toString(plan.includedTokens()),
          plan.monthlyTokenQuota() == null ? "" : plan.monthlyTokenQuota().toString(),
          Long.toString(plan.toolCallPriceMinor()), pricesText(plan.modelPrices())), Map.of());
    } catch (ApiException refused) {
      return ConsoleNotices.redirectRefused(redirect, PATH, refused);
    }
  }

  @PostMapping(PATH + "/{planId}")
  @Requires.Operator
  String update(
      @PathVariable String planId, @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String baseFee, @RequestParam(defaultValue = "") String includedTokens,
      @RequestParam(defaultValue = "") String quota, @RequestParam(defaultValue = "") String toolCallPrice,
      @RequestParam(defaultValue = "") String modelPrices, Model model, RedirectAttributes redirect) {
    Plans.PlanView plan;
    try {
      plan = plans.get(planId);
    } catch (ApiException refused) {
      return ConsoleNotices.redirectRefused(redirect, PATH, refused);
    }
    PlanForm form = new PlanForm(planId, name, plan.currency(), baseFee, includedTokens, quota, toolCallPrice, modelPrices);
    Map<String, String> errors = new LinkedHashMap<>();
    Long parsedQuota = number(errors, "quota", quota, false);
    Plans.UpdatePlan request = new Plans.UpdatePlan(name.strip(), null,
        number(errors, "baseFee", baseFee, true), number(errors, "includedTokens", includedTokens, true),
        parsedQuota, parsedQuota == null && !errors.containsKey("quota"),
        number(errors, "toolCallPrice", toolCallPrice, true), prices(errors, modelPrices), null);
    validate(errors, request);
    if (!errors.isEmpty()) {
      return editPage(model, plan, form, errors);
    }
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> "Plan " + plans.update(planId, request).id() + " saved.");
  }

  /** The request's names in the API, as the form names them. */
  private static final Map<String, String> FORM_NAMES = Map.of(
      "baseFeeMinor", "baseFee", "monthlyTokenQuota", "quota", "toolCallPriceMinor", "toolCallPrice");

  private <T> void validate(Map<String, String> errors, T request) {
    validator.validate(request).forEach(violation -> {
      String property = violation.getPropertyPath().toString().replaceAll("[.\\[<].*", "");
      errors.putIfAbsent(FORM_NAMES.getOrDefault(property, property), violation.getMessage());
    });
  }

  /** A whole number, or null for an empty optional field; a bad one is the field's error. */
  private static Long number(Map<String, String> errors, String field, String text, boolean required) {
    if (text.isBlank()) {
      if (required) {
        errors.putIfAbsent(field, "must not be empty");
      }
      return null;
    }
    try {
      return Long.valueOf(text.strip());
    } catch (NumberFormatException e) {
      errors.putIfAbsent(field, "must be a whole number");
      return null;
    }
  }

  /** {@code model input output} per line; a malformed line is the field's error. */
  private static Map<String, Plans.Price> prices(Map<String, String> errors, String text) {
    Map<String, Plans.Price> prices = new TreeMap<>();
    for (String line : text.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.strip().split("\\s+");
      try {
        if (parts.length != 3) {
          throw new NumberFormatException();
        }
        prices.put(parts[0], new Plans.Price(Long.valueOf(parts[1]), Long.valueOf(parts[2])));
      } catch (NumberFormatException e) {
        errors.putIfAbsent("modelPrices", "each line must be: model input-price output-price (whole numbers)");
        return null;
      }
    }
    return prices;
  }

  private static String pricesText(Map<String, Plans.Price> prices) {
    return prices.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().inputPer1kMinor() + " " + e.getValue().outputPer1kMinor())
        .collect(Collectors.joining("\n"));
  }

  private String listPage(Model model, PlanForm form, Map<String, String> errors) {
    model.addAttribute("plans", plans.list(null, PAGE).items());
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    return "console/plans";
  }

  private static String editPage(Model model, Plans.PlanView plan, PlanForm form, Map<String, String> errors) {
    model.addAttribute("plan", plan);
    model.addAttribute("form", form);
    model.addAttribute("errors", errors);
    return "console/plan-edit";
  }
}
