/**
 * Human approval of tool calls: the company's pending approvals and the decision endpoint, which
 * reaches the waiting turn through the workflow's {@code decide} update.
 */
package dev.saturn.api.approvals;
