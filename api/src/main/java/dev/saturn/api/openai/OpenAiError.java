package dev.saturn.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.api.web.FieldError;
import dev.saturn.api.web.Problem;
import dev.saturn.workflows.common.ErrorCode;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * OpenAI's error body, {@code {"error": {"message", "type", "param", "code"}}}, made from the
 * problem the rest of the API would send: {@code message} is its detail, {@code code} its registry
 * code in lower case, {@code param} the field(s) it names, {@code type} OpenAI's class of error.
 */
record OpenAiError(OpenAiErrorBody error) {

  @JsonInclude(JsonInclude.Include.ALWAYS)
  record OpenAiErrorBody(String message, String type, String param, String code) {}

  static OpenAiError of(Problem problem) {
    String param = problem.fieldErrors() == null || problem.fieldErrors().isEmpty()
        ? null
        : problem.fieldErrors().stream().map(FieldError::field).distinct().collect(Collectors.joining(", "));
    return new OpenAiError(new OpenAiErrorBody(
        problem.detail(), type(problem.code(), problem.status()), param, problem.code().toLowerCase(Locale.ROOT)));
  }

  /** An error inside a stream, where there is no request to build a problem from. */
  static OpenAiError of(ErrorCode code, String message) {
    return new OpenAiError(new OpenAiErrorBody(
        message, type(code.name(), code.httpStatus()), null, code.name().toLowerCase(Locale.ROOT)));
  }

  /** OpenAI's error classes; clients mostly go by the status, which is the registry's. */
  static String type(String code, int status) {
    if (ErrorCode.QUOTA_EXCEEDED.name().equals(code)) {
      return "insufficient_quota";
    }
    if (status == 429) {
      return "rate_limit_error";
    }
    if (status == 401) {
      return "authentication_error";
    }
    if (status == 403) {
      return "permission_error";
    }
    return status >= 500 ? "server_error" : "invalid_request_error";
  }
}
