package dev.saturn.api.identity;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.web.ApiException;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's password pages: a signed-in user changes their password ({@code /console/password});
 * anyone with a reset link sets one ({@code /console/reset-password}, public) through the same
 * {@link PasswordResets} as {@code POST /v1/auth/password}, throttled per client address.
 */
@ConsoleController
class PasswordConsoleController {

  static final String CHANGE = ConsoleController.ROOT + "/password";
  static final String RESET = ConsoleController.ROOT + "/reset-password";
  static final String INVALID_LINK = "This reset link is invalid, already used or expired. Ask an owner or admin for a new one.";
  private static final int MAX_LENGTH = 1000;

  private final UserManagement management;
  private final PasswordResets resets;

  PasswordConsoleController(UserManagement management, PasswordResets resets) {
    this.management = management;
    this.resets = resets;
  }

  @GetMapping(CHANGE)
  @Requires(Permission.AGENTS_READ) // every role has it: each user may change their own password
  String changeForm(Model model) {
    model.addAttribute("problem", null);
    model.addAttribute("field", null);
    return "console/password";
  }

  @PostMapping(CHANGE)
  @Requires(Permission.AGENTS_READ)
  String change(
      Caller caller,
      @RequestParam(defaultValue = "") String current,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String confirm,
      HttpServletRequest request,
      Model model,
      RedirectAttributes redirect) {
    String problem = null;
    String field = null;
    if (current.length() > MAX_LENGTH || password.length() > MAX_LENGTH) {
      problem = "A password is at most " + MAX_LENGTH + " characters.";
      field = "password";
    } else if (!password.equals(confirm)) {
      problem = "The new password and its confirmation differ.";
      field = "confirm";
    } else {
      try {
        management.changeOwnPassword(caller, request.getRemoteAddr(), current, password);
        redirect.addFlashAttribute("notice", "Your password is changed.");
        return "redirect:" + CHANGE;
      } catch (ApiException refused) {
        field = refused.fieldErrors().isEmpty() ? null : refused.fieldErrors().get(0).field();
        problem = field == null ? refused.detail()
            : ("current".equals(field) ? "Current password " : "New password ") + refused.fieldErrors().get(0).message() + ".";
      }
    }
    model.addAttribute("problem", problem);
    model.addAttribute("field", field);
    return "console/password";
  }

  @GetMapping(RESET)
  @Requires.Public
  String resetForm(@RequestParam(required = false) String token, Model model) {
    boolean wellFormed = token != null && PasswordResets.companyOf(token).isPresent();
    model.addAttribute("token", wellFormed ? token : null);
    model.addAttribute("problem", wellFormed ? null : INVALID_LINK);
    model.addAttribute("field", null);
    return "console/reset-password";
  }

  @PostMapping(RESET)
  @Requires.Public
  String reset(
      @RequestParam(defaultValue = "") String token,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String confirm,
      HttpServletRequest request,
      Model model) {
    model.addAttribute("token", token.length() > 200 ? null : token);
    model.addAttribute("field", "password");
    if (password.length() > MAX_LENGTH) {
      model.addAttribute("problem", "A password is at most " + MAX_LENGTH + " characters.");
      return "console/reset-password";
    }
    if (!password.equals(confirm)) {
      model.addAttribute("problem", "The new password and its confirmation differ.");
      model.addAttribute("field", "confirm");
      return "console/reset-password";
    }
    try {
      resets.complete(LoginThrottle.Door.CONSOLE, request.getRemoteAddr(), token, password);
      return "redirect:" + ConsoleController.ROOT + "/login?passwordSet";
    } catch (ApiException refused) {
      String problem = refused.code() == ErrorCode.AUTH_INVALID ? INVALID_LINK
          : refused.code() == ErrorCode.RATE_LIMITED ? "Too many attempts. Wait a little and try again."
          : refused.fieldErrors().isEmpty() ? refused.detail()
          : "The new password " + refused.fieldErrors().get(0).message() + ".";
      if (refused.code() == ErrorCode.AUTH_INVALID) {
        model.addAttribute("token", null);
        model.addAttribute("field", null);
      }
      model.addAttribute("problem", problem);
      return "console/reset-password";
    }
  }
}
