package dev.saturn.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Where the current request's id lives. The request attribute is the source of truth because it
 * survives error and async dispatches; the MDC copy is for log lines and for code that has no
 * request at hand.
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "request_id";

  static final String ATTRIBUTE = RequestIds.class.getName() + ".ID";

  // Ids end up in logs and headers: a tight alphabet keeps out log injection and header splitting.
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  /** The id of the request this thread is serving, or {@code null} outside a request. */
  public static String current() {
    String id = MDC.get(MDC_KEY);
    if (id != null) {
      return id;
    }
    return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs
        ? of(attrs.getRequest())
        : null;
  }

  /** The id assigned to {@code request}, or {@code null} if no id was assigned to it. */
  public static String of(HttpServletRequest request) {
    Object id = request == null ? null : request.getAttribute(ATTRIBUTE);
    return id instanceof String s ? s : MDC.get(MDC_KEY);
  }

  /** Whether a client-supplied id can be used as is. */
  public static boolean isAcceptable(String candidate) {
    return candidate != null && ACCEPTABLE.matcher(candidate).matches();
  }

  /**
   * Keeps the id of an earlier dispatch of the same request, else takes the client's (so callers
   * can correlate) when acceptable, else makes one.
   */
  static String assign(HttpServletRequest request) {
    String id = request.getAttribute(ATTRIBUTE) instanceof String existing ? existing : null;
    if (id == null) {
      String offered = request.getHeader(HEADER);
      id = isAcceptable(offered) ? offered : UUID.randomUUID().toString();
      request.setAttribute(ATTRIBUTE, id);
    }
    return id;
  }
}
