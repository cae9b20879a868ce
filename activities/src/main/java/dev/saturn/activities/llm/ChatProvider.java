package dev.saturn.activities.llm;

/**
 * One kind of model backend. Implementations are stateless per call and safe to share between
 * activity threads.
 *
 * <p>A provider streams: it hands the answer's text to a {@link TextSink} as the server produces
 * it and returns the complete reply (text, tool calls, token usage) at the end. The reply's content
 * is exactly what was handed to the sink, joined; a backend that cannot stream hands its whole
 * answer over once, when it has it. The sink's text is a view for people watching; the returned
 * reply is what the turn stores.
 *
 * <p>Failures are thrown as {@link io.temporal.failure.ApplicationFailure} whose type is an
 * {@link dev.saturn.workflows.common.ErrorCode} name ({@code LLM_TIMEOUT}, {@code
 * LLM_PROVIDER_ERROR}, {@code VALIDATION_FAILED}) and whose retryability tells Temporal whether
 * another attempt can help: providers never retry themselves. A failure may come after some text
 * was streamed; the caller treats that text as void.
 */
public interface ChatProvider {

  /** The name agents select the provider by, e.g. {@code "openai"} or {@code "offline"}. */
  String name();

  /**
   * Asks the model, passing its text to {@code text} as it arrives (on whatever thread the backend
   * delivers it; the sink must be thread-safe and quick), and returns the complete reply. An
   * interrupt of the calling thread abandons the call.
   */
  ProviderReply stream(ProviderRequest request, TextSink text);

  /** The complete reply, without watching it being written. */
  default ProviderReply complete(ProviderRequest request) {
    return stream(request, TextSink.NONE);
  }
}
