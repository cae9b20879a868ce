/**
 * The OpenAI-compatible API under {@code /v1}: {@code /v1/models} (a company's agents),
 * {@code /v1/chat/completions} and {@code /v1/responses} (chat turns), so OpenAI's clients, SDKs and
 * frameworks talk to SATURN's agents. A channel adapter on {@link dev.saturn.api.chat.TurnStarter}
 * with {@link dev.saturn.api.chat.TurnChannel#OPENAI}: requests become {@code StartTurn}s, turns are
 * rendered in OpenAI's shapes ({@link dev.saturn.api.openai.ChatCompletions},
 * {@link dev.saturn.api.openai.ResponseObjects}), errors in OpenAI's error body
 * ({@link dev.saturn.api.openai.OpenAiErrorDialect}, for the handlers of this package only). Streams
 * follow a turn's events (the native stream's {@code TurnEventStream}) through
 * {@link dev.saturn.api.openai.TurnFeed}, which turns them into text deltas. The mapping and its differences from OpenAI are in docs/api.md.
 */
package dev.saturn.api.openai;
