package dev.saturn.api.web;

import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;

/**
 * Another wire shape for the errors of some handlers: the OpenAI-compatible endpoints answer in
 * OpenAI's error body, the rest of the API in RFC 7807. Every error is still decided as a
 * {@link Problem} (code, status, detail, headers) by the one advice, {@link ProblemWriter} or the
 * error controller; a dialect only renders that problem's body for the handlers it speaks for.
 * {@link ErrorDialects} finds it for a request.
 */
public interface ErrorDialect {

  /** Whether errors of requests routed to this handler are rendered by this dialect. */
  boolean speaksFor(HandlerMethod handler);

  /** The Content-Type of {@link #body}. */
  MediaType contentType();

  /** The body sent instead of the problem; status and headers stay the problem's. */
  Object body(Problem problem);
}
