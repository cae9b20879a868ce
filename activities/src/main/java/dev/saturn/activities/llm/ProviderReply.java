package dev.saturn.activities.llm;

/**
 * A provider's answer.
 *
 * @param model the model that answered, as the server reported it when it did
 * @param estimated {@code true} when the token counts were computed locally because the provider
 *     did not report them (billing and quotas should treat them as approximate)
 */
public record ProviderReply(
    String content, String model, long inputTokens, long outputTokens, boolean estimated) {}
