package dev.saturn.api.identity;

import dev.saturn.api.web.ApiException;
import dev.saturn.db.common.CompanyId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;

/**
 * Who made an authenticated request: the company, the actor (an API key or a user) and what the
 * actor may do. {@code userId} is the key's owner for key callers, when the key has one.
 */
public record Caller(CompanyId company, ActorType actorType, String actorId, String userId, Set<Permission> permissions) {

  public enum ActorType {
    KEY,
    USER
  }

  static final String ATTRIBUTE = Caller.class.getName();

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

  /** The caller of an authenticated request; empty before authentication or on unauthenticated paths. */
  public static Optional<Caller> find(HttpServletRequest request) {
    return Optional.ofNullable((Caller) request.getAttribute(ATTRIBUTE));
  }

  public static Caller of(HttpServletRequest request) {
    Caller caller = (Caller) request.getAttribute(ATTRIBUTE);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on " + request.getRequestURI());
    }
    return caller;
  }
}
