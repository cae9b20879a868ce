package dev.saturn.api.identity;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.console.ConsoleNotices;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.identity.PlanRepository;
import jakarta.validation.Validator;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator console: its sign-in page (the sign-in itself is the console chain's, with the operator
 * token) and the Companies page, on the same {@link Companies} as {@code /v1/companies}. A new company's
 * first owner API key is shown once, on the answer to the POST that created it, as the API returns it.
 */
@ConsoleController
class CompanyConsoleController {

  static final String LOGIN = ConsoleController.ROOT + "/operator/login";
  static final String PATH = ConsoleController.ROOT + "/operator/companies";
  private static final int PAGE = 200;

  private final Companies companies;
  private final PlanRepository plans;
  private final Validator validator;

  CompanyConsoleController(Companies companies, PlanRepository plans, Validator validator) {
    this.companies = companies;
    this.plans = plans;
    this.validator = validator;
  }

  @GetMapping(LOGIN)
  @Requires.Public
  String signIn(@RequestParam(required = false) String error, Model model) {
    model.addAttribute("error", error == null ? null
        : "throttled".equals(error) ? "Too many sign-in attempts. Wait a little and try again." : "Wrong operator token.");
    return "console/operator-login";
  }

  @GetMapping(PATH)
  @Requires.Operator
  String list(Model model) {
    return listPage(model, "", "", null);
  }

  @PostMapping(PATH)
  @Requires.Operator
  String create(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String ownerEmail,
      @RequestParam(defaultValue = "") String ownerPassword,
      Model model) {
    CompanyController.CreateCompany request = new CompanyController.CreateCompany(name.strip(),
        new CompanyController.Owner(ownerEmail.strip(), null, ownerPassword.isEmpty() ? null : ownerPassword));
    String invalid = validator.validate(request).stream().findFirst()
        .map(v -> "The " + v.getPropertyPath().toString().replace("owner.", "owner ") + " " + v.getMessage() + ".")
        .orElse(null);
    if (invalid != null) {
      return listPage(model, name, ownerEmail, invalid);
    }
    try {
      Companies.Created created = companies.create(request.name(), request.owner().email(), null, request.owner().password());
      model.addAttribute("created", created);
      return "console/company-created";
    } catch (ApiException refused) {
      return listPage(model, name, ownerEmail, refused.detail());
    }
  }

  @PostMapping(PATH + "/{companyId}/plan")
  @Requires.Operator
  String changePlan(@PathVariable String companyId, @RequestParam(defaultValue = "") String plan, RedirectAttributes redirect) {
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> {
      Companies.CompanyView company = companies.changePlan(companyId, plan);
      return company.name() + " is on plan " + company.plan() + ".";
    });
  }

  @PostMapping(PATH + "/{companyId}/suspend")
  @Requires.Operator
  String suspend(@PathVariable String companyId, RedirectAttributes redirect) {
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> companies.suspend(companyId).name() + " is suspended.");
  }

  @PostMapping(PATH + "/{companyId}/reactivate")
  @Requires.Operator
  String reactivate(@PathVariable String companyId, RedirectAttributes redirect) {
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> companies.reactivate(companyId).name() + " is active again.");
  }

  private String listPage(Model model, String name, String ownerEmail, String problem) {
    model.addAttribute("companies", companies.list(null, PAGE).items());
    model.addAttribute("plans", plans.list(null, PAGE).items().stream().map(p -> p.plan().id()).toList());
    model.addAttribute("name", name);
    model.addAttribute("ownerEmail", ownerEmail);
    model.addAttribute("problem", problem);
    return "console/companies";
  }
}
