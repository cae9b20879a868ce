/**
 * Tools of kind {@code http}: the executor (headers decrypted at call time, idempotent methods,
 * path checks) and the client that sends the request to the address the SSRF guard checked.
 */
package dev.saturn.activities.tools.http;
