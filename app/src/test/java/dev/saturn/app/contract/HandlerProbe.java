package dev.saturn.app.contract;

import dev.saturn.api.identity.Requires;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.core.Ordered;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Records every request marked with an {@code X-Probe} header that got past the security filter
 * chain and reached a controller method: the direct evidence that a path variant did or did not
 * reach a handler.
 */
public class HandlerProbe implements HandlerInterceptor, WebMvcConfigurer {

  static final String HEADER = "X-Probe";

  /** {@code open}: the handler is {@code @Requires.Public} (it checks whatever credential it takes itself). */
  record Reached(String probe, String method, String uri, String handler, boolean open) {}

  private final List<Reached> reached = new CopyOnWriteArrayList<>();

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String probe = request.getHeader(HEADER);
    if (probe != null && handler instanceof HandlerMethod method) {
      reached.add(new Reached(probe, request.getMethod(), request.getRequestURI(), method.getShortLogMessage(),
          method.hasMethodAnnotation(Requires.Public.class)));
    }
    return true;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).order(Ordered.HIGHEST_PRECEDENCE);
  }

  List<Reached> reachedBy(String probePrefix) {
    return reached.stream().filter(r -> r.probe().startsWith(probePrefix)).toList();
  }
}
