package dev.saturn.api.identity;

import dev.saturn.api.ApiController;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Password reset ({@link PasswordResets}): an owner or admin gets a token for a user, the user
 * sets a password with it. Setting is public and throttled like login, per client address.
 */
@ApiController
class PasswordResetController {

  private final PasswordResets resets;

  PasswordResetController(PasswordResets resets) {
    this.resets = resets;
  }

  record ResetToken(String userId, String token, Instant expiresAt, boolean mailed) {}

  record SetPassword(@NotBlank @Size(max = 200) String token, @NotNull @Size(max = 1000) String password) {}

  @PostMapping("/v1/users/{userId}/password-reset")
  @Operation(summary = "Issue a single-use password-reset token for a user (shown once; replaces any earlier token)")
  @Requires(Permission.USERS_MANAGE)
  @ResponseStatus(HttpStatus.CREATED)
  public ResetToken issue(Caller caller, @PathVariable String userId) {
    PasswordResets.Issued issued = resets.issue(caller, userId);
    return new ResetToken(userId, issued.token(), issued.expiresAt(), issued.mailed());
  }

  @PostMapping("/v1/auth/password")
  @Operation(summary = "Set a password with a password-reset token (public; the token works once)")
  @Requires.Public
  @ResponseStatus(HttpStatus.NO_CONTENT)
  public void setPassword(@Valid @RequestBody SetPassword request, HttpServletRequest http) {
    resets.complete(LoginThrottle.Door.API, http.getRemoteAddr(), request.token(), request.password());
  }
}
