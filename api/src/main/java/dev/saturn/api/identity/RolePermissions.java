package dev.saturn.api.identity;

import static dev.saturn.api.identity.Permission.AGENTS_READ;
import static dev.saturn.api.identity.Permission.AGENTS_WRITE;
import static dev.saturn.api.identity.Permission.APPROVALS_DECIDE;
import static dev.saturn.api.identity.Permission.CHAT;
import static dev.saturn.api.identity.Permission.KB_READ;
import static dev.saturn.api.identity.Permission.KB_WRITE;
import static dev.saturn.api.identity.Permission.TOOLS_READ;
import static dev.saturn.api.identity.Permission.USERS_READ;

import dev.saturn.db.identity.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of permissions per role, documented in docs/security.md (a test keeps the two
 * equal). Owner and admin manage users, keys, tools and billing; a developer builds agents and
 * knowledge bases; a viewer reads and chats.
 */
public final class RolePermissions {

  private static final Map<Role, Set<Permission>> TABLE = Map.of(
      Role.OWNER, EnumSet.allOf(Permission.class),
      Role.ADMIN, EnumSet.allOf(Permission.class),
      Role.DEVELOPER, EnumSet.of(AGENTS_READ, AGENTS_WRITE, CHAT, TOOLS_READ, KB_READ, KB_WRITE, APPROVALS_DECIDE, USERS_READ),
      Role.VIEWER, EnumSet.of(AGENTS_READ, CHAT, TOOLS_READ, KB_READ));

  private RolePermissions() {}

  public static Set<Permission> of(Role role) {
    return TABLE.get(role);
  }

}
