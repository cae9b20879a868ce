/**
 * Outbound webhooks: endpoints (and the reply endpoints of inbound channels), the event outbox
 * written in the transaction of each fact ({@link dev.saturn.db.webhooks.EventOutbox}), and one
 * delivery row per delivery workflow with its attempts.
 */
package dev.saturn.db.webhooks;
