package dev.saturn.api.identity;

import dev.saturn.api.ApiController;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.Page;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A company's users and their roles; managed by owners and admins (docs/security.md). */
@ApiController
@RequestMapping("/v1/users")
@Validated
class UserController {

  static final String ROLES = "owner|admin|developer|viewer";

  private final UserManagement management;
  private final UserRepository users;

  UserController(UserManagement management, UserRepository users) {
    this.management = management;
    this.users = users;
  }

  record CreateUser(
      @NotBlank @Email @Size(max = 320) String email,
      @Size(max = 200) String name,
      @NotNull @Pattern(regexp = ROLES, message = "must be one of " + ROLES) String role,
      String password) {}

  record UpdateUser(
      @Pattern(regexp = ROLES, message = "must be one of " + ROLES) String role,
      @Size(min = 1, max = 200) String name) {}

  record UserList(List<UserView> items, String nextCursor) {}

  @PostMapping
  @Requires(Permission.USERS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  public UserView create(
      Caller caller,
      @RequestHeader(name = IdempotentRequests.HEADER, required = false) String idempotencyKey,
      @Valid @RequestBody CreateUser request) {
    if (request.password() != null) {
      String problem = Passwords.problem(request.password());
      if (problem != null) {
        throw ApiException.invalidField("password", problem);
      }
    }
    UserManagement.NewUser user =
        new UserManagement.NewUser(request.email(), request.name(), Role.fromDb(request.role()), request.password());
    return UserView.of(management.create(caller, idempotencyKey, user));
  }

  @GetMapping
  @Requires(Permission.USERS_READ)
  public UserList list(
      Caller caller,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    Page<UserRow> page = users.list(caller.company(), cursor, limit);
    return new UserList(page.items().stream().map(UserView::of).toList(), page.nextCursor());
  }

  @GetMapping("/{userId}")
  @Requires(Permission.USERS_READ)
  public UserView get(Caller caller, @PathVariable String userId) {
    return UserView.of(management.find(caller.company(), userId));
  }

  @PatchMapping("/{userId}")
  @Requires(Permission.USERS_MANAGE)
  public UserView update(Caller caller, @PathVariable String userId, @Valid @RequestBody UpdateUser request) {
    Role role = request.role() == null ? null : Role.fromDb(request.role());
    return UserView.of(management.update(caller, userId, role, request.name()));
  }

  @PostMapping("/{userId}/deactivate")
  @Requires(Permission.USERS_MANAGE)
  public UserView deactivate(Caller caller, @PathVariable String userId) {
    return UserView.of(management.setActive(caller, userId, false));
  }

  @PostMapping("/{userId}/reactivate")
  @Requires(Permission.USERS_MANAGE)
  public UserView reactivate(Caller caller, @PathVariable String userId) {
    return UserView.of(management.setActive(caller, userId, true));
  }
}
