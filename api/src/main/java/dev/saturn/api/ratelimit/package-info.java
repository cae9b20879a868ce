/**
 * Per-key and per-company token-bucket rate limits (Bucket4j), configured by the company's plan
 * and enforced by a filter that runs right after authentication. Buckets live in this process
 * only; docs/operations.md ("Rate limits") says what a shared store would change.
 */
package dev.saturn.api.ratelimit;
