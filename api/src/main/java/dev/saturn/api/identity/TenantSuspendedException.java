package dev.saturn.api.identity;

import org.springframework.security.core.AuthenticationException;

/** A valid credential of a suspended company: the door answers 403 {@code TENANT_SUSPENDED}. */
public final class TenantSuspendedException extends AuthenticationException {

  public TenantSuspendedException() {
    super("This company is suspended; its API keys and users have no access until the operator reactivates it");
  }
}
