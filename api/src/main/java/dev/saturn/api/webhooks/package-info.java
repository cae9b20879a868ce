/**
 * {@code /v1/webhooks}: endpoints that receive SATURN's events signed as Standard Webhooks, their
 * secrets (shown once, sealed at rest, rotated with a grace period) and their deliveries. The
 * events themselves are recorded by whoever records each fact; delivery runs in the worker.
 */
package dev.saturn.api.webhooks;
