/**
 * The turn reconciler: a periodic workflow that fails turns whose workflow ended (terminated,
 * timed out, gone) without finishing them, so no turn stays {@code running} and no approval
 * {@code pending} for ever.
 */
package dev.saturn.workflows.chat.reconciler;
