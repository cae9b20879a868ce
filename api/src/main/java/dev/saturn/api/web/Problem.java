package dev.saturn.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The RFC 7807 body of every error the API returns. The wire names are pinned with
 * {@code @JsonProperty} so the body keeps its shape whichever mapper writes it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    URI type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    @JsonProperty("request_id") String requestId,
    @JsonProperty("field_errors") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        List<FieldError> fieldErrors) {

  private static final String TYPE_PREFIX = "urn:saturn:error:";

  /**
   * The stable type URI of a code. Clients may key on it, so it is derived from the code's name
   * here and nowhere else; never from the request.
   */
  public static URI type(ErrorCode code) {
    return URI.create(TYPE_PREFIX + code.name().toLowerCase(Locale.ROOT));
  }

  /** The one builder behind the advice, {@link ProblemWriter} and the error controller. */
  public static Problem of(
      ErrorCode code, String detail, List<FieldError> fieldErrors, HttpServletRequest request) {
    return new Problem(
        type(code),
        code.title(),
        code.httpStatus(),
        detail == null || detail.isBlank() ? code.title() : detail,
        instance(request),
        code.name(),
        RequestIds.of(request),
        fieldErrors == null ? List.of() : List.copyOf(fieldErrors));
  }

  public static Problem of(ApiException ex, HttpServletRequest request) {
    return of(ex.code(), ex.detail(), ex.fieldErrors(), request);
  }

  /**
   * Headers that belong to every rendering of this problem. The request id is repeated here because
   * the container may reset headers before an error dispatch.
   */
  public HttpHeaders headers() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (requestId != null) {
      headers.set(RequestIds.HEADER, requestId);
    }
    if (ErrorCode.AUTH_INVALID.name().equals(code)) {
      // RFC 6750 §3: a 401 from a bearer-protected resource names the scheme to retry with.
      headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    return headers;
  }

  /**
   * A preset Content-Type makes MVC skip content negotiation, so an error still renders when the
   * client's Accept header excludes JSON (which is itself one of the errors we report).
   */
  public ResponseEntity<Problem> toResponseEntity(HttpHeaders extraHeaders) {
    HttpHeaders headers = headers();
    if (extraHeaders != null) {
      extraHeaders.forEach(
          (name, values) -> {
            if (!headers.containsHeader(name)) {
              headers.put(name, values);
            }
          });
    }
    return ResponseEntity.status(status).headers(headers).body(this);
  }

  public ResponseEntity<Problem> toResponseEntity() {
    return toResponseEntity(null);
  }

  private static String instance(HttpServletRequest request) {
    if (request == null) {
      return null;
    }
    // On an error dispatch the request URI is the error page; the client asked for the original.
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    return original instanceof String uri ? uri : request.getRequestURI();
  }
}
