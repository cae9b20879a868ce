package dev.saturn.api.identity;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who made an authenticated request: the company, the actor (an API key or a user) and what the
 * actor may do. {@code userId} is the key's owner for key callers, when the key has one.
 */
public record Caller(CompanyId company, ActorType actorType, String actorId, String userId, Set<Permission> permissions) {

  public enum ActorType {
    KEY,
    USER
  }

  public static Caller key(CompanyId company, String keyId, String ownerUserId, Set<Permission> permissions) {
    return new Caller(company, ActorType.KEY, keyId, ownerUserId, Set.copyOf(permissions));
  }

  public static Caller user(CompanyId company, String userId, Set<Permission> permissions) {
    return new Caller(company, ActorType.USER, userId, userId, Set.copyOf(permissions));
  }

  /** The actor name written to rows that record who did something, e.g. {@code key:<id>}. */
  public String actor() {
    return actorType.name().toLowerCase(java.util.Locale.ROOT) + ":" + actorId;
  }

  public boolean can(Permission permission) {
    return permissions.contains(permission);
  }

  /** @throws ApiException AUTH_FORBIDDEN when the caller lacks the permission */
  public void require(Permission permission) {
    if (!can(permission)) {
      throw ApiException.forbidden("This " + actorType.name().toLowerCase(java.util.Locale.ROOT)
          + " lacks the permission " + permission.name().toLowerCase(java.util.Locale.ROOT));
    }
  }

  /** The company caller of the current request; empty for the operator and for anonymous requests. */
  public static Optional<Caller> current() {
    return SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication authenticated
        ? Optional.of(authenticated.caller())
        : Optional.empty();
  }

  /** @throws IllegalStateException when the request has no company caller (a handler rule is missing) */
  public static Caller authenticated() {
    return current().orElseThrow(() -> new IllegalStateException("no authenticated company caller"));
  }
}
