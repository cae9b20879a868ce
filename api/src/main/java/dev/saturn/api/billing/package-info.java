/**
 * Usage, quotas and invoices over HTTP: usage summaries read the append-only events, invoice
 * drafts are computed by the billing workflows, finalizing freezes a draft.
 */
package dev.saturn.api.billing;
