package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/JSON error page for what never reached a controller: exceptions thrown
 * by filters, {@code sendError} calls, and the container's own rejections (a malformed URL). An
 * {@link ApiException} thrown by a filter keeps its code here.
 */
@RestController
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping
  public ResponseEntity<Problem> error(HttpServletRequest request) {
    Throwable error =
        request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
    // No status means a client asked for the error path directly: to them it is just not a route.
    int status =
        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 404;
    return problemFor(status, error, request).toResponseEntity();
  }

  /**
   * Shared with {@link ProblemErrorReportValve}, which sees the errors that never get this far. An
   * ApiException or registry-typed workflow failure keeps its code; otherwise the status picks one.
   */
  static Problem problemFor(int status, Throwable error, HttpServletRequest request) {
    ApiException known = Causes.find(error, ApiException.class);
    if (known == null) {
      known = WorkflowFailures.translate(error);
    }
    if (known != null) {
      ProblemAdvice.logged(known, request);
      return Problem.of(known, request);
    }
    ErrorCode code = ErrorCodes.forStatus(status);
    if (status >= 500) {
      log.error("Container error {} on {}", status, instance(request), error);
    }
    String detail = code == ErrorCode.INTERNAL_ERROR ? ProblemAdvice.GENERIC_DETAIL : code.title();
    return Problem.of(code, detail, List.of(), request);
  }

  private static Object instance(HttpServletRequest request) {
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    return original != null ? original : request.getRequestURI();
  }
}
