package dev.saturn.api.identity;

import dev.saturn.api.audit.AuditTrail;
import dev.saturn.api.idempotency.IdempotentRequests;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserCredentials;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rules of managing a company's users: only an owner grants the owner role or changes an
 * owner (an admin may manage everyone else); the company always keeps one active owner. Every
 * change writes its audit row in the same transaction.
 */
@Service
class UserManagement {

  private final UserRepository users;
  private final Passwords passwords;
  private final AuditTrail audit;
  private final IdempotentRequests requests;
  private final Owners owners;
  private final LoginThrottle throttle;
  private final VerifiedKeys verifiedKeys;

  UserManagement(
      UserRepository users, Passwords passwords, AuditTrail audit, IdempotentRequests requests, Owners owners,
      LoginThrottle throttle, VerifiedKeys verifiedKeys) {
    this.verifiedKeys = verifiedKeys;
    this.throttle = throttle;
    this.users = users;
    this.passwords = passwords;
    this.audit = audit;
    this.requests = requests;
    this.owners = owners;
  }

  record NewUser(String email, String name, Role role, String password) {}

  public UserRow create(Caller caller, String idempotencyKey, NewUser user) {
    if (user.role() == Role.OWNER) {
      owners.require(caller, "grant the owner role");
    }
    String hash = user.password() == null ? null : passwords.hash(user.password());
    // The password is not part of the request hash: a fast digest of it must not be stored.
    String requestHash = IdempotentRequests.hash(
        user.email(), user.name(), user.role().dbValue(), Boolean.toString(user.password() != null));
    return requests.once(
        caller.company(), "users.create", idempotencyKey, requestHash, "user",
        id -> {
          UserRow created = users.createIfEmailFree(caller.company(), id, user.email(), user.name(), hash, user.role())
              .orElseThrow(() -> ApiException.conflict("A user with email " + user.email() + " already exists"));
          audit.record(caller, "user.create", "user", created.id(), null, UserView.of(created));
          return created;
        },
        id -> find(caller.company(), id));
  }

  public UserRow find(CompanyId company, String userId) {
    return users.find(company, userId).orElseThrow(() -> ApiException.notFound("user " + userId));
  }

  @Transactional
  public UserRow update(Caller caller, String userId, Role role, String name) {
    users.lockMembershipChanges(caller.company());
    UserRow before = find(caller.company(), userId);
    if (role != null && role != before.role()) {
      if (before.role() == Role.OWNER || role == Role.OWNER) {
        owners.require(caller, "grant or change the owner role");
      }
      if (before.role() == Role.OWNER && UserRepository.ACTIVE.equals(before.status())) {
        requireAnotherActiveOwner(caller.company(), "demoted");
      }
      users.updateRole(caller.company(), userId, role);
      verifiedKeys.forgetAll(); // the user's keys may do no more than the new role
    }
    if (name != null && !name.equals(before.name())) {
      if (before.role() == Role.OWNER) {
        owners.require(caller, "change an owner");
      }
      users.updateName(caller.company(), userId, name);
    }
    UserRow after = find(caller.company(), userId);
    if (!after.equals(before)) {
      audit.record(caller, role != null && role != before.role() ? "user.role_change" : "user.update", "user", userId,
          UserView.of(before), UserView.of(after));
    }
    return after;
  }

  @Transactional
  public UserRow setActive(Caller caller, String userId, boolean active) {
    users.lockMembershipChanges(caller.company());
    UserRow before = find(caller.company(), userId);
    String status = active ? UserRepository.ACTIVE : UserRepository.INACTIVE;
    if (status.equals(before.status())) {
      return before;
    }
    if (before.role() == Role.OWNER) {
      owners.require(caller, active ? "reactivate an owner" : "deactivate an owner");
      if (!active) {
        requireAnotherActiveOwner(caller.company(), "deactivated");
      }
    }
    users.setStatus(caller.company(), userId, status);
    verifiedKeys.forgetAll(); // an inactive user's keys stop working
    UserRow after = find(caller.company(), userId);
    audit.record(caller, active ? "user.reactivate" : "user.deactivate", "user", userId,
        UserView.of(before), UserView.of(after));
    return after;
  }

  /**
   * A signed-in user changes their own password, proving the current one; wrong guesses count as
   * failed sign-ins of the account ({@link LoginThrottle}, the console's door).
   */
  public void changeOwnPassword(Caller caller, String clientAddress, String current, String next) {
    UserRow user = find(caller.company(), caller.userId());
    throttle.admit(LoginThrottle.Door.CONSOLE, clientAddress, caller.company().value(), user.email());
    String hash = users.findCredentials(caller.company(), user.email()).map(UserCredentials::passwordHash).orElse(null);
    if (!passwords.matches(current, hash)) {
      throttle.failed(caller.company().value(), user.email());
      throw ApiException.invalidField("current", "is not your current password");
    }
    String problem = Passwords.problem(next);
    if (problem != null) {
      throw ApiException.invalidField("password", problem);
    }
    users.setPasswordHash(caller.company(), user.id(), passwords.hash(next));
    audit.record(caller, "user.password_change", "user", user.id(), null, Map.of("via", "console"));
  }

  private void requireAnotherActiveOwner(CompanyId company, String what) {
    if (users.countActiveOwners(company) <= 1) {
      throw ApiException.conflict("The last active owner cannot be " + what + "; make another user owner first");
    }
  }
}
