/**
 * The Standard Webhooks signature scheme ({@code whsec_} secrets, {@code v1,} HMAC-SHA256 over
 * {@code id.timestamp.body}), used by the worker to sign outbound deliveries and by the API to
 * verify inbound channel messages. Here because both sides of the module graph need it.
 */
package dev.saturn.common.webhooks;
