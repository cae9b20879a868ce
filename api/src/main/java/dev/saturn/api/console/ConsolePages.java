package dev.saturn.api.console;

import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import jakarta.servlet.http.HttpSession;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's sign-in page, its home and the sections whose pages are not built yet. Signing in
 * and out are Spring Security's ({@code POST /console/login}, {@code POST /console/logout}).
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
    return "redirect:" + ConsoleController.ROOT + "/agents";
  }

  /**
   * A section of the navigation whose page is not built yet. A section's own controller maps its literal
   * path, which Spring prefers to this pattern, so building a page needs no change here.
   */
  @GetMapping(ConsoleController.ROOT + "/{section:[a-z-]+}")
  @Requires(Permission.AGENTS_READ) // every role has it; each real page carries its own permission
  String notBuilt(@PathVariable String section, Model model) {
    String label = ConsoleNavigation.SECTIONS.stream()
        .filter(s -> s[1].equals(section)).findFirst()
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND))[0];
    model.addAttribute("section", label);
    return "console/not-built";
  }
}
