package dev.saturn.api.console;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Operator;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.CompanyRow;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout of every console page shows: the navigation (the operator's own for the operator)
 * and who is signed in to which company.
 */
@ControllerAdvice(annotations = ConsoleController.class)
class ConsoleNavigation {

  /** A link of the navigation; {@code current} marks the page being shown (aria-current). */
  record Link(String label, String href, boolean current) {}

  /** The console's sections, in the navigation's order, with the names the issue fixes. */
  static final List<String[]> SECTIONS = List.of(
      new String[] {"Agents", "agents"},
      new String[] {"Chat", "chat"},
      new String[] {"Approvals", "approvals"},
      new String[] {"Knowledge base", "knowledge-base"},
      new String[] {"Tools", "tools"},
      new String[] {"Usage", "usage"},
      new String[] {"Invoices", "invoices"},
      new String[] {"API keys", "api-keys"},
      new String[] {"Users", "users"},
      new String[] {"Audit log", "audit-log"});

  /** The operator console's sections: a signed-in operator sees only these. */
  static final List<String[]> OPERATOR_SECTIONS = List.of(
      new String[] {"Companies", "operator/companies"},
      new String[] {"Plans", "operator/plans"});

  private final CompanyRepository companies;

  ConsoleNavigation(CompanyRepository companies) {
    this.companies = companies;
  }

  @ModelAttribute("navigation")
  List<Link> navigation(HttpServletRequest request) {
    String path = request.getRequestURI();
    return (Operator.isCurrent() ? OPERATOR_SECTIONS : SECTIONS).stream()
        .map(s -> {
          String href = ConsoleController.ROOT + "/" + s[1];
          return new Link(s[0], href, path.equals(href) || path.startsWith(href + "/"));
        })
        .toList();
  }

  /** Whether the platform operator is signed in (its pages, no company). */
  @ModelAttribute("operator")
  boolean operator() {
    return Operator.isCurrent();
  }

  @ModelAttribute("companyName")
  String companyName() {
    return Caller.current()
        .flatMap(caller -> companies.find(caller.company()))
        .map(CompanyRow::name)
        .orElse(null);
  }
}
