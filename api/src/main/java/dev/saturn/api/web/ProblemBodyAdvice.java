package dev.saturn.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Renders a {@link Problem} written by the advice or the error controller in the {@link ErrorDialect}
 * of the handler the request was routed to, if it has one; any other body passes untouched.
 */
@RestControllerAdvice
class ProblemBodyAdvice implements ResponseBodyAdvice<Object> {

  private final ErrorDialects dialects;

  ProblemBodyAdvice(ErrorDialects dialects) {
    this.dialects = dialects;
  }

  @Override
  public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(
      Object body, MethodParameter returnType, MediaType selectedContentType,
      Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
      ServerHttpResponse response) {
    if (!(body instanceof Problem problem) || !(request instanceof ServletServerHttpRequest servlet)) {
      return body;
    }
    HttpServletRequest http = servlet.getServletRequest();
    Optional<ErrorDialect> dialect = dialects.forRequest(http);
    if (dialect.isEmpty()) {
      return body;
    }
    response.getHeaders().setContentType(dialect.get().contentType());
    return dialect.get().body(problem);
  }
}
