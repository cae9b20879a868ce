package dev.saturn.api.providers;

/**
 * {@code PUT /v1/providers/{provider}}: the company's settings, replacing what was stored. An absent
 * {@code base_url} or {@code default_model} means the server's applies. {@code api_key}: absent or
 * null keeps the stored key while the base URL stays the same (a key given for one server never
 * follows the settings to another), {@code ""} removes it.
 */
record PutProvider(String baseUrl, String apiKey, String defaultModel) {}
