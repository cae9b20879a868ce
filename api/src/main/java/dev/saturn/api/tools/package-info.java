/**
 * The tool registry's HTTP edge: {@code /v1/tools} (HTTP tools a model may call, validated on
 * save) and {@code /v1/agents/{id}/tools} (an agent's versioned allowlist).
 */
package dev.saturn.api.tools;
