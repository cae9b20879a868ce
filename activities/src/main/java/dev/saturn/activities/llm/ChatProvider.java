package dev.saturn.activities.llm;

/**
 * One kind of model backend. Implementations are stateless per call and safe to share between
 * activity threads.
 *
 * <p>Failures are thrown as {@link io.temporal.failure.ApplicationFailure} whose type is an
 * {@link dev.saturn.workflows.common.ErrorCode} name ({@code LLM_TIMEOUT}, {@code
 * LLM_PROVIDER_ERROR}, {@code VALIDATION_FAILED}) and whose retryability tells Temporal whether
 * another attempt can help: providers never retry themselves.
 */
public interface ChatProvider {

  /** The name agents select the provider by, e.g. {@code "openai"} or {@code "offline"}. */
  String name();

  ProviderReply complete(ProviderRequest request);
}
