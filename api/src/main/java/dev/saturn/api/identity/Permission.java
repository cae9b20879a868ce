package dev.saturn.api.identity;

/**
 * What a caller may do. Roles (docs/security.md) and API-key scopes both map to sets of these;
 * every endpoint names the one it needs with {@link Requires}.
 */
public enum Permission {
  AGENTS_READ,
  AGENTS_WRITE,
  CHAT,
  TOOLS_READ,
  TOOLS_WRITE,
  KB_READ,
  KB_WRITE,
  KEYS_MANAGE,
  USERS_READ,
  USERS_MANAGE,
  AUDIT_READ,
  APPROVALS_DECIDE,
  BILLING_READ,
  BILLING_MANAGE,
  WEBHOOKS_MANAGE,
  /** A company's own model provider settings (base URLs and keys). */
  PROVIDERS_MANAGE
}
