package dev.saturn.api.identity;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.UserCredentials;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRepository.EmailCompany;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The console's accounts: password sign-in by email (the company is asked for only when the
 * password is right in more than one), and the signed-in user's {@link Caller}, rebuilt from the
 * database on every request so a role change, a deactivation or a suspended company takes effect
 * at once. Same users, same {@link Passwords}, same {@link LoginThrottle} as {@code POST /v1/auth/login}, at
 * the console's own door (its address buckets are not the API's; an account's failures count at both).
 */
@Component
public class ConsoleAccounts {

  /** At most this many companies are tried for one email (each costs one BCrypt check). */
  static final int MAX_COMPANIES_PER_EMAIL = 20;

  /** What a sign-in attempt came to. */
  public sealed interface SignIn {}

  public record SignedIn(String companyId, String userId) implements SignIn {}

  /** The password is right in several companies: the form asks which one, by name. */
  public record ChooseCompany(List<EmailCompany> companies) implements SignIn {}

  public record Refused() implements SignIn {}

  public record Suspended() implements SignIn {}

  private final UserRepository users;
  private final CompanyRepository companies;
  private final Passwords passwords;
  private final LoginThrottle throttle;

  ConsoleAccounts(UserRepository users, CompanyRepository companies, Passwords passwords, LoginThrottle throttle) {
    this.users = users;
    this.companies = companies;
    this.passwords = passwords;
    this.throttle = throttle;
  }

  /**
   * @param companyId the company chosen on the form, or null: then every company of the email is tried
   */
  public SignIn signIn(String clientAddress, String email, String password, String companyId) {
    String throttleKey = companyId == null ? "console" : companyId;
    throttle.admit(LoginThrottle.Door.CONSOLE, clientAddress, throttleKey, email);
    List<EmailCompany> candidates = users.companiesOfEmail(email, MAX_COMPANIES_PER_EMAIL).stream()
        .filter(c -> companyId == null || c.companyId().equals(companyId))
        .toList();
    List<EmailCompany> matching = new ArrayList<>();
    List<UserCredentials> matched = new ArrayList<>();
    for (EmailCompany candidate : candidates) {
      Optional<UserCredentials> user = users.findCredentials(CompanyId.of(candidate.companyId()), email);
      if (passwords.matches(password, user.map(UserCredentials::passwordHash).orElse(null))
          && UserRepository.ACTIVE.equals(user.get().status())) {
        matching.add(candidate);
        matched.add(user.get());
      }
    }
    if (candidates.isEmpty()) {
      passwords.matches(password, null); // the same BCrypt work as for a known email
    }
    if (matched.isEmpty()) {
      throttle.failed(throttleKey, email);
      return new Refused();
    }
    if (matched.size() > 1) {
      return new ChooseCompany(List.copyOf(matching));
    }
    throttle.succeeded(throttleKey, email);
    UserCredentials user = matched.get(0);
    if (companies.isSuspended(CompanyId.of(user.companyId()))) {
      return new Suspended();
    }
    return new SignedIn(user.companyId(), user.userId());
  }

  /** The signed-in user as a company caller with the role's permissions; empty once inactive, gone or suspended. */
  public Optional<CallerAuthentication> resume(String companyId, String userId) {
    CompanyId company = CompanyId.of(companyId);
    return users.find(company, userId)
        .filter(user -> UserRepository.ACTIVE.equals(user.status()))
        .filter(user -> !companies.isSuspended(company))
        .map(user -> new CallerAuthentication(Caller.user(company, user.id(), RolePermissions.of(user.role()))));
  }
}
