package dev.saturn.api.console;

import dev.saturn.api.identity.Operator;
import dev.saturn.api.identity.Requires;
import jakarta.servlet.http.HttpSession;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's sign-in page and its home. Signing in and out are Spring Security's ({@code POST /console/login}, {@code POST /console/logout}).
 */
@ConsoleController
class ConsolePages {

  @GetMapping(ConsoleController.ROOT + "/login")
  @Requires.Public
  String signIn(@RequestParam(required = false) String error, HttpSession session, Model model) {
    model.addAttribute("error", error == null ? null : switch (error) {
      case "suspended" -> "This company is suspended. Ask the platform operator.";
      case "throttled" -> "Too many sign-in attempts. Wait a little and try again.";
      default -> "Wrong email or password.";
    });
    model.addAttribute("choice", session.getAttribute(CompanyChoice.SESSION_ATTRIBUTE));
    return "console/login";
  }

  @GetMapping({ConsoleController.ROOT, ConsoleController.ROOT + "/"})
  @Requires.Public
  String home() {
    return "redirect:" + ConsoleController.ROOT + (Operator.isCurrent() ? "/operator/companies" : "/agents");
  }
}
