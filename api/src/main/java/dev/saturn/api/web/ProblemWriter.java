package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * For servlet filters, which run before MVC and its advice: a filter that rejects a request
 * (authentication, tenant resolution, rate limiting) writes its problem here and returns without
 * calling the chain. The body is the advice's, built by {@link Problem#of}, in the {@link
 * ErrorDialect} of the handler the request is routed to when it has one.
 */
@Component
public class ProblemWriter {

  private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

  private final JsonMapper mapper;
  private final ErrorDialects dialects;

  public ProblemWriter(JsonMapper mapper, ErrorDialects dialects) {
    this.mapper = mapper;
    this.dialects = dialects;
  }

  public void write(
      HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
      throws IOException {
    write(request, response, Problem.of(code, detail, List.of(), request));
  }

  public void write(HttpServletRequest request, HttpServletResponse response, ApiException ex)
      throws IOException {
    ProblemAdvice.logged(ex, request);
    write(request, response, Problem.of(ex, request));
  }

  private void write(HttpServletRequest request, HttpServletResponse response, Problem problem) throws IOException {
    if (response.isCommitted()) {
      // Status and headers are already on the wire; a second body would corrupt the response.
      log.warn(
          "Cannot write {} for request {}: response already committed",
          problem.code(),
          problem.requestId());
      return;
    }
    response.resetBuffer();
    response.setStatus(problem.status());
    HttpHeaders headers = problem.headers();
    Optional<ErrorDialect> dialect = dialects.forRequest(request);
    response.setContentType(dialect.map(ErrorDialect::contentType).orElse(headers.getContentType()).toString());
    headers.forEach(
        (name, values) -> {
          if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
            values.forEach(value -> response.setHeader(name, value));
          }
        });
    byte[] body = mapper.writeValueAsBytes(dialect.isPresent() ? dialect.get().body(problem) : problem);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
