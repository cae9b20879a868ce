package dev.saturn.api.identity;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * API-key scopes and the permissions each grants. A key's permissions are its scopes' union,
 * further limited by its owner's role when the key belongs to a user.
 */
public final class KeyScopes {

  public static final Map<String, Set<Permission>> SCOPES = Map.of(
      "chat", EnumSet.of(Permission.CHAT, Permission.AGENTS_READ),
      "agents:read", EnumSet.of(Permission.AGENTS_READ, Permission.TOOLS_READ, Permission.KB_READ),
      "agents:write", EnumSet.of(Permission.AGENTS_READ, Permission.AGENTS_WRITE, Permission.TOOLS_READ),
      "kb:write", EnumSet.of(Permission.KB_READ, Permission.KB_WRITE),
      "billing:read", EnumSet.of(Permission.BILLING_READ),
      "webhooks", EnumSet.of(Permission.WEBHOOKS_MANAGE),
      "admin", EnumSet.allOf(Permission.class));

  private KeyScopes() {}

  /** @throws IllegalArgumentException naming the first unknown scope */
  public static Set<Permission> permissions(Collection<String> scopes) {
    Set<Permission> granted = EnumSet.noneOf(Permission.class);
    for (String scope : scopes) {
      Set<Permission> permissions = SCOPES.get(scope);
      if (permissions == null) {
        throw new IllegalArgumentException("unknown scope '" + scope + "'");
      }
      granted.addAll(permissions);
    }
    return granted;
  }
}
