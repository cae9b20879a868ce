package dev.saturn.api.identity;

import dev.saturn.db.identity.UserRow;
import java.time.Instant;

/** A user as the API shows it (and as audit rows record it): never a password or its hash. */
record UserView(String id, String email, String name, String role, String status, Instant createdAt) {

  static UserView of(UserRow user) {
    return new UserView(user.id(), user.email(), user.name(), user.role().dbValue(), user.status(), user.createdAt());
  }
}
