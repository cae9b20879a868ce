/**
 * A company's own model provider settings ({@code /v1/providers}): base URL, sealed API key and
 * default model per provider, used by the company's agents before the server's.
 */
package dev.saturn.api.providers;
