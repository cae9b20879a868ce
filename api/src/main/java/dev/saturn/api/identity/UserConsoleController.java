package dev.saturn.api.identity;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.console.ConsoleNotices;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import jakarta.validation.Validator;
import java.util.List;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The console's Users page, on the same {@link UserManagement} and {@link PasswordResets} (owner
 * rules, last-owner rule, audit rows) as {@code /v1/users} and {@code /v1/users/{id}/password-reset};
 * their refusals are shown as messages. An invitation is a user without a password plus a reset link,
 * shown once on the answer to the POST (and mailed when mail is configured).
 */
@ConsoleController
class UserConsoleController {

  static final String PATH = ConsoleController.ROOT + "/users";
  static final List<String> ROLES = List.of("owner", "admin", "developer", "viewer");
  private static final int PAGE = 200;

  private final UserRepository users;
  private final UserManagement management;
  private final PasswordResets resets;
  private final Validator validator;

  UserConsoleController(UserRepository users, UserManagement management, PasswordResets resets, Validator validator) {
    this.users = users;
    this.management = management;
    this.resets = resets;
    this.validator = validator;
  }

  @GetMapping(PATH)
  @Requires(Permission.USERS_READ)
  String list(Caller caller, Model model) {
    return listPage(caller, model, "", "developer", null);
  }

  @PostMapping(PATH)
  @Requires(Permission.USERS_MANAGE)
  String invite(
      Caller caller,
      @RequestParam(defaultValue = "") String email,
      @RequestParam(defaultValue = "") String role,
      Model model) {
    UserController.CreateUser request = new UserController.CreateUser(email.strip(), null, role, null);
    String invalid = validator.validate(request).stream().findFirst()
        .map(v -> "The " + v.getPropertyPath() + " " + v.getMessage() + ".").orElse(null);
    if (invalid != null) {
      return listPage(caller, model, email, role, invalid);
    }
    try {
      UserRow user = management.create(caller, null,
          new UserManagement.NewUser(request.email(), null, Role.fromDb(role), null));
      return linkPage(caller, user, model, true);
    } catch (ApiException refused) {
      return listPage(caller, model, email, role, refused.detail());
    }
  }

  @PostMapping(PATH + "/{userId}/role")
  @Requires(Permission.USERS_MANAGE)
  String changeRole(Caller caller, @PathVariable String userId, @RequestParam(defaultValue = "") String role,
      RedirectAttributes redirect) {
    if (!ROLES.contains(role)) {
      redirect.addFlashAttribute("error", "The role must be one of " + String.join(", ", ROLES) + ".");
      return "redirect:" + PATH;
    }
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> {
      UserRow user = management.update(caller, userId, Role.fromDb(role), null);
      return user.email() + " is now " + user.role().dbValue() + ".";
    });
  }

  @PostMapping(PATH + "/{userId}/deactivate")
  @Requires(Permission.USERS_MANAGE)
  String deactivate(Caller caller, @PathVariable String userId, RedirectAttributes redirect) {
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> management.setActive(caller, userId, false).email() + " is deactivated.");
  }

  @PostMapping(PATH + "/{userId}/reactivate")
  @Requires(Permission.USERS_MANAGE)
  String reactivate(Caller caller, @PathVariable String userId, RedirectAttributes redirect) {
    return ConsoleNotices.redirectAfter(redirect, PATH, () -> management.setActive(caller, userId, true).email() + " is active again.");
  }

  @PostMapping(PATH + "/{userId}/reset-link")
  @Requires(Permission.USERS_MANAGE)
  String resetLink(Caller caller, @PathVariable String userId, Model model, RedirectAttributes redirect) {
    try {
      return linkPage(caller, management.find(caller.company(), userId), model, false);
    } catch (ApiException refused) {
      return ConsoleNotices.redirectRefused(redirect, PATH, refused);
    }
  }

  private String listPage(Caller caller, Model model, String email, String role, String problem) {
    model.addAttribute("users", users.list(caller.company(), null, PAGE).items());
    model.addAttribute("roles", ROLES);
    model.addAttribute("canManage", caller.can(Permission.USERS_MANAGE));
    model.addAttribute("email", email);
    model.addAttribute("role", role);
    model.addAttribute("problem", problem);
    return "console/users";
  }

  /** Issues the user's single-use reset link (the same tokens as the API's) and shows it, once. */
  private String linkPage(Caller caller, UserRow user, Model model, boolean invited) {
    PasswordResets.Issued issued = resets.issue(caller, user.id());
    model.addAttribute("user", user);
    model.addAttribute("invited", invited);
    model.addAttribute("link", ServletUriComponentsBuilder.fromCurrentContextPath()
        .path(PasswordConsoleController.RESET).queryParam("token", issued.token()).toUriString());
    model.addAttribute("expiresAt", issued.expiresAt());
    model.addAttribute("mailed", issued.mailed());
    return "console/user-link";
  }
}
