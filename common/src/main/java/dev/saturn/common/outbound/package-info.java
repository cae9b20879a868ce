/**
 * Outbound connections on a tenant's behalf: the one {@link dev.saturn.common.outbound.SsrfGuard}
 * and its operator allowlist ({@code saturn.outbound.allowed-hosts}), shared by the API (checks a
 * URL when a tenant registers it) and the activities (check and pin the address at every
 * connection, through {@link dev.saturn.common.outbound.GuardedHttpClient}). Here, not in
 * {@code activities}, because the API may not depend on activities.
 */
package dev.saturn.common.outbound;
