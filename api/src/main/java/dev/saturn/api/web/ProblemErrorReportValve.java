package dev.saturn.api.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat answers some requests without ever entering the application (a URL it cannot decode, no
 * matching context), so neither filters nor the error path run and its HTML report would go out.
 * This valve replaces that report with the same problem body. The request id filter has not run
 * either, so the id is assigned here.
 */
class ProblemErrorReportValve extends ErrorReportValve {

  private final JsonMapper mapper;

  ProblemErrorReportValve(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    // The same guards as Tomcat's own report: only unanswered errors, and only once.
    if (response.getStatus() < 400
        || response.getContentWritten() > 0
        || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    RequestIds.assign(request);
    Problem problem = ProblemErrorController.problemFor(response.getStatus(), throwable, request);
    try {
      response.setStatus(problem.status());
      HttpHeaders headers = problem.headers();
      response.setContentType(headers.getContentType().toString());
      response.setCharacterEncoding("UTF-8");
      headers.forEach(
          (name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
              values.forEach(value -> response.setHeader(name, value));
            }
          });
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(mapper.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response was claimed meanwhile: there is no one left to tell.
    }
  }
}
