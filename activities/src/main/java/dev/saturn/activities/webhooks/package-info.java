/**
 * Outbound webhooks in the worker: the facts of turns, approvals, documents and invoices recorded
 * as events ({@link dev.saturn.activities.webhooks.WebhookFacts}, in the transaction of each fact),
 * their fan-out and signed delivery attempts ({@link dev.saturn.activities.webhooks.WebhookActivitiesImpl},
 * {@link dev.saturn.activities.webhooks.WebhookSender}), and the start of a fan-out right after the
 * commit ({@link dev.saturn.activities.webhooks.WebhookKick}).
 */
package dev.saturn.activities.webhooks;
