package dev.saturn.api.openai;

import dev.saturn.api.web.ErrorDialect;
import dev.saturn.api.web.Problem;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Errors of the handlers in this package, whoever raises them (the handler, the advice, the
 * security chain, the rate limiter, the body-size filter), in OpenAI's error shape.
 */
@Component
class OpenAiErrorDialect implements ErrorDialect {

  private static final String PACKAGE = OpenAiErrorDialect.class.getPackageName();

  @Override
  public boolean speaksFor(HandlerMethod handler) {
    return handler.getBeanType().getPackageName().equals(PACKAGE);
  }

  @Override
  public MediaType contentType() {
    return MediaType.APPLICATION_JSON;
  }

  @Override
  public Object body(Problem problem) {
    return OpenAiError.of(problem);
  }
}
