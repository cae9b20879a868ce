package dev.saturn.api.identity;

import dev.saturn.api.ApiController;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.UserCredentials;
import dev.saturn.db.identity.UserRepository;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Optional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Password login for the console: a short-lived access token (JWT) for an active user. Unknown
 * company, unknown email, a user without a password, a wrong password and an inactive user all
 * get the same 401 after the same BCrypt work, so the answer does not tell which one it was.
 * {@link LoginThrottle} slows guessing down per client address and per account. The right
 * password of a suspended company's user answers 403 {@code TENANT_SUSPENDED}.
 */
@ApiController
@RequestMapping("/v1/auth")
class LoginController {

  static final String FAILED = "Invalid company, email or password";

  private final UserRepository users;
  private final Passwords passwords;
  private final AccessTokens tokens;
  private final LoginThrottle throttle;
  private final CompanyRepository companies;

  LoginController(
      UserRepository users, Passwords passwords, AccessTokens tokens, LoginThrottle throttle, CompanyRepository companies) {
    this.companies = companies;
    this.throttle = throttle;
    this.users = users;
    this.passwords = passwords;
    this.tokens = tokens;
  }

  record Login(
      @NotBlank @Size(max = 36) String companyId,
      @NotBlank @Size(max = 320) String email,
      @NotBlank @Size(max = 1000) String password) {}

  record AccessToken(String accessToken, String tokenType, long expiresIn) {}

  @PostMapping("/login")
  @Requires.Public
  public AccessToken login(@Valid @RequestBody Login request, HttpServletRequest http) {
    throttle.admit(http.getRemoteAddr(), request.companyId(), request.email());
    Optional<UserCredentials> user = users.findCredentials(CompanyId.of(request.companyId()), request.email());
    boolean passwordMatches = passwords.matches(request.password(), user.map(UserCredentials::passwordHash).orElse(null));
    if (!passwordMatches || !UserRepository.ACTIVE.equals(user.get().status())) {
      throttle.failed(request.companyId(), request.email());
      throw ApiException.unauthenticated(FAILED);
    }
    throttle.succeeded(request.companyId(), request.email());
    if (companies.isSuspended(CompanyId.of(user.get().companyId()))) {
      throw ApiException.of(ErrorCode.TENANT_SUSPENDED, new TenantSuspendedException().getMessage());
    }
    AccessTokens.Issued issued = tokens.issue(user.get().companyId(), user.get().userId(), user.get().role());
    return new AccessToken(issued.token(), "Bearer", issued.expiresIn().toSeconds());
  }
}
