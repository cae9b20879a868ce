package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;
import java.util.List;
import org.springframework.http.HttpHeaders;
import java.util.Objects;

/**
 * The one way feature code reports a failure the client should see. {@link #detail()} is sent to
 * the client verbatim, so it must be written for them: no SQL, stack traces, secrets or other
 * tenants' data.
 */
public class ApiException extends RuntimeException {

  private final ErrorCode code;
  private final String detail;
  private final List<FieldError> fieldErrors;
  private final HttpHeaders headers = new HttpHeaders();

  public ApiException(ErrorCode code, String detail) {
    this(code, detail, List.of(), null);
  }

  public ApiException(ErrorCode code, String detail, List<FieldError> fieldErrors) {
    this(code, detail, fieldErrors, null);
  }

  public ApiException(ErrorCode code, String detail, Throwable cause) {
    this(code, detail, List.of(), cause);
  }

  protected ApiException(
      ErrorCode code, String detail, List<FieldError> fieldErrors, Throwable cause) {
    super(Objects.requireNonNull(code, "code").name() + ": " + detail, cause);
    this.code = code;
    this.detail = detail == null || detail.isBlank() ? code.title() : detail;
    this.fieldErrors = fieldErrors == null ? List.of() : List.copyOf(fieldErrors);
  }

  public static ApiException of(ErrorCode code, String detail) {
    return new ApiException(code, detail);
  }

  /** Keeps the cause for the log; the client still only sees {@code detail}. */
  public static ApiException of(ErrorCode code, String detail, Throwable cause) {
    return new ApiException(code, detail, cause);
  }

  /** {@code notFound("Agent 42")} → NOT_FOUND "Agent 42 not found". */
  public static ApiException notFound(String what) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static ApiException validation(String detail) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, detail);
  }

  public static ApiException validation(String detail, List<FieldError> fieldErrors) {
    return new ApiException(ErrorCode.VALIDATION_FAILED, detail, fieldErrors);
  }

  /** A single bad field, for checks bean validation cannot express. */
  public static ApiException invalidField(String field, String message) {
    return validation("Field '" + field + "' " + message, List.of(new FieldError(field, message)));
  }

  public static ApiException conflict(String detail) {
    return new ApiException(ErrorCode.CONFLICT, detail);
  }

  public static ApiException unauthenticated(String detail) {
    return new ApiException(ErrorCode.AUTH_INVALID, detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(ErrorCode.AUTH_FORBIDDEN, detail);
  }

  /** Adds a header to the problem response (e.g. {@code Retry-After}). */
  public ApiException withHeader(String name, String value) {
    headers.set(name, value);
    return this;
  }

  /** Headers the problem response carries besides the standard ones. */
  public HttpHeaders headers() {
    return headers;
  }

  public ErrorCode code() {
    return code;
  }

  public String detail() {
    return detail;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }
}
