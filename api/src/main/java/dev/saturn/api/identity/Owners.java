package dev.saturn.api.identity;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.Role;
import dev.saturn.db.identity.UserRepository;
import org.springframework.stereotype.Component;

/**
 * What only an owner may do. A caller acts for an owner when it is an active owner user, or an API
 * key of one; a key without an owner user never does. Roles are read from the database at the
 * moment of the check, so a demotion applies at once.
 */
@Component
class Owners {

  private final UserRepository users;

  Owners(UserRepository users) {
    this.users = users;
  }

  boolean isActiveOwner(CompanyId company, String userId) {
    return userId != null && users.find(company, userId)
        .filter(u -> u.role() == Role.OWNER && UserRepository.ACTIVE.equals(u.status()))
        .isPresent();
  }

  /** @throws ApiException 403 AUTH_FORBIDDEN unless the caller acts for an active owner */
  void require(Caller caller, String what) {
    if (!isActiveOwner(caller.company(), caller.userId())) {
      throw ApiException.forbidden("Only an owner may " + what);
    }
  }

  /**
   * A key held by an owner is the owner's credential: only its holder (the owner, or a caller
   * acting for the same user) or another owner may rotate or revoke it, so an admin cannot mint
   * themselves a copy of an owner's key.
   */
  void requireMayChangeKeyOf(Caller caller, String keyHolderUserId, String what) {
    if (keyHolderUserId == null || keyHolderUserId.equals(caller.userId())) {
      return;
    }
    boolean ownersKey = users.find(caller.company(), keyHolderUserId).filter(u -> u.role() == Role.OWNER).isPresent();
    if (ownersKey) {
      require(caller, what + " an owner's API key");
    }
  }
}
