package dev.saturn.api.web;

import dev.saturn.db.common.Cursors;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place where exceptions raised in controllers become problem+json. Handlers exist only
 * where a generic rendering would lose something the client needs (a field name, the Allow header);
 * everything else goes through {@link #unexpected}.
 *
 * <p>Lowest precedence so that a feature may add a narrower advice of its own; it should still
 * render through {@link Problem}.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemAdvice {

  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  /** Never the exception message: it may hold SQL, hostnames, tokens or another tenant's data. */
  static final String GENERIC_DETAIL =
      "An unexpected error occurred; quote the request_id if you report it";

  private final ValidationProblems validation;

  public ProblemAdvice(JsonMapper mapper) {
    this.validation = new ValidationProblems(new JsonNames(mapper));
  }

  @ExceptionHandler(ApiException.class)
  public ResponseEntity<Problem> apiException(ApiException ex, HttpServletRequest request) {
    logged(ex, request);
    return Problem.of(ex, request).toResponseEntity(ex.headers());
  }

  /** A list cursor the client made up or mangled: the cursor parameter is invalid. */
  @ExceptionHandler(Cursors.InvalidCursorException.class)
  public ResponseEntity<Problem> invalidCursor(Cursors.InvalidCursorException ex, HttpServletRequest request) {
    return apiException(
        ApiException.invalidField("cursor", "is not a cursor returned by this list"), request);
  }

  @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
  public ResponseEntity<Problem> noRoute(Exception ex, HttpServletRequest request) {
    return render(
        ErrorCode.NOT_FOUND,
        "No endpoint " + request.getMethod() + " " + request.getRequestURI(),
        request,
        null);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  public ResponseEntity<Problem> methodNotAllowed(
      HttpRequestMethodNotSupportedException ex, HttpServletRequest request) {
    String allowed =
        ex.getSupportedHttpMethods() == null
            ? ""
            : "; allowed: "
                + ex.getSupportedHttpMethods().stream()
                    .map(Object::toString)
                    .sorted()
                    .collect(Collectors.joining(", "));
    return render(
        ErrorCode.METHOD_NOT_ALLOWED,
        "Method " + ex.getMethod() + " is not supported here" + allowed,
        request,
        ex.getHeaders());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  public ResponseEntity<Problem> unsupportedMediaType(
      HttpMediaTypeNotSupportedException ex, HttpServletRequest request) {
    String sent = ex.getContentType() == null ? "missing" : "'" + ex.getContentType() + "'";
    return render(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type " + sent + " is not supported; use " + types(ex.getSupportedMediaTypes()),
        request,
        ex.getHeaders());
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  public ResponseEntity<Problem> notAcceptable(
      HttpMediaTypeNotAcceptableException ex, HttpServletRequest request) {
    return render(
        ErrorCode.NOT_ACCEPTABLE,
        "This endpoint can only produce " + types(ex.getSupportedMediaTypes()),
        request,
        null);
  }

  @ExceptionHandler(MaxUploadSizeExceededException.class)
  public ResponseEntity<Problem> uploadTooLarge(
      MaxUploadSizeExceededException ex, HttpServletRequest request) {
    String limit = ex.getMaxUploadSize() < 0 ? "" : " of " + ex.getMaxUploadSize() + " bytes";
    return render(
        ErrorCode.PAYLOAD_TOO_LARGE, "Upload exceeds the maximum size" + limit, request, null);
  }

  /**
   * A {@code multipart/*} Content-Type whose body cannot be parsed (no boundary, a truncated part).
   * Size limits are {@link MaxUploadSizeExceededException}, a subclass, handled above.
   */
  @ExceptionHandler(MultipartException.class)
  public ResponseEntity<Problem> malformedMultipart(MultipartException ex, HttpServletRequest request) {
    return render(ErrorCode.VALIDATION_FAILED,
        "The multipart request body cannot be parsed (is the boundary in its Content-Type?)", request, null);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  public ResponseEntity<Problem> unreadableBody(
      HttpMessageNotReadableException ex, HttpServletRequest request) {
    // A body-size cap trips inside the read; its own code beats "unreadable".
    ApiException nested = Causes.find(ex, ApiException.class);
    return apiException(nested != null ? nested : validation.fromUnreadableBody(ex), request);
  }

  @ExceptionHandler(BindException.class)
  public ResponseEntity<Problem> bindingFailed(BindException ex, HttpServletRequest request) {
    Object target = ex.getTarget();
    Class<?> root = target == null ? null : target.getClass();
    boolean jsonBody = false;
    if (ex instanceof MethodArgumentNotValidException invalid) {
      root = root == null ? invalid.getParameter().getParameterType() : root;
      jsonBody =
          invalid.getParameter().hasParameterAnnotation(RequestBody.class)
              || invalid.getParameter().hasParameterAnnotation(RequestPart.class);
    }
    return apiException(validation.fromBinding(ex.getBindingResult(), root, jsonBody), request);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  public ResponseEntity<Problem> methodValidationFailed(
      HandlerMethodValidationException ex, HttpServletRequest request) {
    return apiException(validation.fromMethodValidation(ex), request);
  }

  @ExceptionHandler(ConstraintViolationException.class)
  public ResponseEntity<Problem> constraintsViolated(
      ConstraintViolationException ex, HttpServletRequest request) {
    return apiException(validation.fromConstraintViolations(ex), request);
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  public ResponseEntity<Problem> missingParameter(
      MissingServletRequestParameterException ex, HttpServletRequest request) {
    return apiException(ApiException.invalidField(ex.getParameterName(), "is required"), request);
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  public ResponseEntity<Problem> missingHeader(
      MissingRequestHeaderException ex, HttpServletRequest request) {
    return apiException(ApiException.invalidField(ex.getHeaderName(), "is required"), request);
  }

  @ExceptionHandler(MissingServletRequestPartException.class)
  public ResponseEntity<Problem> missingPart(
      MissingServletRequestPartException ex, HttpServletRequest request) {
    return apiException(ApiException.invalidField(ex.getRequestPartName(), "is required"), request);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  public ResponseEntity<Problem> typeMismatch(
      MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
    return apiException(
        ApiException.invalidField(ex.getName(), ValidationProblems.expected(ex.getRequiredType())),
        request);
  }

  /** The client has gone; there is no one to write a problem to. */
  @ExceptionHandler(AsyncRequestNotUsableException.class)
  public void clientGone(AsyncRequestNotUsableException ex) {
    log.debug("Response no longer usable: {}", ex.getMessage());
  }

  /**
   * Looks through wrappers for an ApiException or a registry-typed workflow failure first; then
   * keeps the status of Spring's own 4xx exceptions; anything left is a bug.
   */
  @ExceptionHandler(Exception.class)
  public ResponseEntity<Problem> unexpected(Exception ex, HttpServletRequest request) {
    ApiException known = Causes.find(ex, ApiException.class);
    if (known == null) {
      known = WorkflowFailures.translate(ex);
    }
    if (known != null) {
      return apiException(known, request);
    }
    if (ex instanceof ErrorResponse response && response.getStatusCode().is4xxClientError()) {
      ErrorCode code = ErrorCodes.forStatus(response.getStatusCode().value());
      log.debug(
          "{} on {} {}: {}", code, request.getMethod(), request.getRequestURI(), ex.toString());
      return render(code, response.getBody().getDetail(), request, response.getHeaders());
    }
    ErrorCode code =
        ex instanceof ErrorResponse response
            ? ErrorCodes.forStatus(response.getStatusCode().value())
            : ErrorCode.INTERNAL_ERROR;
    log.error(
        "Unhandled {} on {} {}",
        ex.getClass().getName(),
        request.getMethod(),
        request.getRequestURI(),
        ex);
    return render(
        code, code == ErrorCode.INTERNAL_ERROR ? GENERIC_DETAIL : code.title(), request, null);
  }

  /** Shared with the error controller so both log a problem the same way. */
  static void logged(ApiException ex, HttpServletRequest request) {
    int status = ex.code().httpStatus();
    if (ex.code() == ErrorCode.INTERNAL_ERROR) {
      log.error("{} on {} {}", ex.code(), request.getMethod(), request.getRequestURI(), ex);
    } else if (status >= 500) {
      log.warn(
          "{} on {} {}: {}",
          ex.code(),
          request.getMethod(),
          request.getRequestURI(),
          ex.detail(),
          ex);
    } else {
      log.debug(
          "{} on {} {}: {}", ex.code(), request.getMethod(), request.getRequestURI(), ex.detail());
    }
  }

  private static ResponseEntity<Problem> render(
      ErrorCode code, String detail, HttpServletRequest request, HttpHeaders headers) {
    return Problem.of(code, detail, List.of(), request).toResponseEntity(headers);
  }

  private static String types(List<MediaType> types) {
    return types == null || types.isEmpty()
        ? "a supported media type"
        : types.stream().map(MediaType::toString).collect(Collectors.joining(", "));
  }
}
