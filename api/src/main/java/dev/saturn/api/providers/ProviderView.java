package dev.saturn.api.providers;

import java.time.Instant;

/**
 * A company's settings for one provider as the API shows them: never the key, only whether one is
 * stored. A null {@code baseUrl} or {@code defaultModel} means the server's setting applies.
 */
record ProviderView(
    String provider, String baseUrl, boolean apiKeySet, String defaultModel, Instant createdAt, Instant updatedAt) {}
