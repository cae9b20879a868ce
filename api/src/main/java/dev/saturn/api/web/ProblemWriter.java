package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * For servlet filters, which run before MVC and its advice: a filter that rejects a request
 * (authentication, tenant resolution, rate limiting) writes its problem here and returns without
 * calling the chain. The body is the advice's, built by {@link Problem#of}.
 */
@Component
public class ProblemWriter {

  private static final Logger log = LoggerFactory.getLogger(ProblemWriter.class);

  private final JsonMapper mapper;

  public ProblemWriter(JsonMapper mapper) {
    this.mapper = mapper;
  }

  public void write(
      HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
      throws IOException {
    write(response, Problem.of(code, detail, List.of(), request));
  }

  public void write(HttpServletRequest request, HttpServletResponse response, ApiException ex)
      throws IOException {
    ProblemAdvice.logged(ex, request);
    write(response, Problem.of(ex, request));
  }

  private void write(HttpServletResponse response, Problem problem) throws IOException {
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
    response.setContentType(headers.getContentType().toString());
    headers.forEach(
        (name, values) -> {
          if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
            values.forEach(value -> response.setHeader(name, value));
          }
        });
    byte[] body = mapper.writeValueAsBytes(problem);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
