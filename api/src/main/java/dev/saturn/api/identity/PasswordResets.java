package dev.saturn.api.identity;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.CompanyRepository;
import dev.saturn.db.identity.PasswordResetRepository;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Single-use, expiring password-reset tokens {@code prt_<company id>_<secret>}: an owner or admin
 * issues one for a user (only an owner for an owner), the user sets a password with it. Only the
 * SHA-256 of a token is stored, one per user, so a newer token invalidates the older one; using a
 * token deletes it. The company id in the token scopes the lookup to its tenant. A user created
 * without a password sets their first one this way.
 */
@Service
class PasswordResets {

  static final String TOKEN_PREFIX = "prt_";
  static final String INVALID = "Invalid, used or expired password-reset token";
  private static final int SECRET_LENGTH = 32;
  /** The throttle's account key of token attempts (with the client address). */
  private static final String THROTTLE_SCOPE = "password-reset";

  record Issued(String token, Instant expiresAt, boolean mailed) {}

  private final PasswordResetRepository resets;
  private final UserRepository users;
  private final CompanyRepository companies;
  private final Passwords passwords;
  private final Owners owners;
  private final AuditTrail audit;
  private final PasswordResetMail mail;
  private final TransactionTemplate transactions;
  private final LoginThrottle throttle;
  private final AuthProperties.PasswordReset settings;
  private final Clock clock;

  PasswordResets(
      PasswordResetRepository resets, UserRepository users, CompanyRepository companies, Passwords passwords,
      Owners owners, AuditTrail audit, PasswordResetMail mail, TransactionTemplate transactions,
      LoginThrottle throttle, AuthProperties properties, Clock clock) {
    this.throttle = throttle;
    this.resets = resets;
    this.users = users;
    this.companies = companies;
    this.passwords = passwords;
    this.owners = owners;
    this.audit = audit;
    this.mail = mail;
    this.transactions = transactions;
    this.settings = properties.passwordReset();
    this.clock = clock;
  }

  /** A new token for the user, replacing any earlier one; mailed when mail is configured. */
  Issued issue(Caller caller, String userId) {
    String token = TOKEN_PREFIX + caller.company().value() + "_" + ApiKeys.random(SECRET_LENGTH);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(settings.ttl());
    UserRow user = transactions.execute(status -> {
      UserRow target = users.find(caller.company(), userId).orElseThrow(() -> ApiException.notFound("user " + userId));
      if (target.role() == Role.OWNER) {
        // Otherwise an admin could take over an owner's account.
        owners.require(caller, "reset an owner's password");
      }
      if (!UserRepository.ACTIVE.equals(target.status())) {
        throw ApiException.conflict("User " + userId + " is inactive; reactivate the user first");
      }
      resets.replace(caller.company(), userId, ApiKeys.hash(token), now, expiresAt);
      audit.record(caller, "user.password_reset_issue", "user", userId, null, Map.of("expires_at", expiresAt.toString()));
      return target;
    });
    boolean mailed = mail.send(user.email(), token, expiresAt);
    return new Issued(token, expiresAt, mailed);
  }

  /**
   * {@link #complete(String, String)} for a client at a door of the login throttle: token guesses
   * are slowed down per client address, so one guesser waits alone.
   */
  void complete(LoginThrottle.Door door, String clientAddress, String token, String password) {
    throttle.admit(door, clientAddress, THROTTLE_SCOPE, clientAddress);
    try {
      complete(token, password);
    } catch (ApiException e) {
      if (e.code() == ErrorCode.AUTH_INVALID) {
        throttle.failed(THROTTLE_SCOPE, clientAddress);
      }
      throw e;
    }
    throttle.succeeded(THROTTLE_SCOPE, clientAddress);
  }

  /**
   * Sets the password of the token's user and uses the token up. Every failure (malformed,
   * unknown, used, expired, an inactive user) answers the same 401; a suspended company 403.
   */
  void complete(String token, String password) {
    String problem = Passwords.problem(password);
    if (problem != null) {
      throw ApiException.invalidField("password", problem);
    }
    CompanyId company = companyOf(token).orElseThrow(() -> ApiException.unauthenticated(INVALID));
    String hash = passwords.hash(password); // slow: before the transaction, not while holding the row
    transactions.executeWithoutResult(status -> {
      String userId = resets.consume(company, ApiKeys.hash(token), clock.instant())
          .orElseThrow(() -> ApiException.unauthenticated(INVALID));
      if (!users.find(company, userId).map(u -> UserRepository.ACTIVE.equals(u.status())).orElse(false)) {
        throw ApiException.unauthenticated(INVALID);
      }
      if (companies.isSuspended(company)) {
        // Rolls the consumption back: the token works again after a reactivation.
        throw ApiException.of(ErrorCode.TENANT_SUSPENDED, new TenantSuspendedException().getMessage());
      }
      users.setPasswordHash(company, userId, hash);
      audit.record(company, "user", userId, "user.password_set", "user", userId, null, Map.of("via", "reset_token"));
    });
  }

  /** The company a well-formed token names; empty for anything else. */
  static Optional<CompanyId> companyOf(String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      return Optional.empty();
    }
    int separator = token.indexOf('_', TOKEN_PREFIX.length());
    if (separator <= TOKEN_PREFIX.length() || separator > TOKEN_PREFIX.length() + 36
        || token.length() - separator - 1 != SECRET_LENGTH) {
      return Optional.empty();
    }
    return Optional.of(CompanyId.of(token.substring(TOKEN_PREFIX.length(), separator)));
  }
}
