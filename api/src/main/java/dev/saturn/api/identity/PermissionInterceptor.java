package dev.saturn.api.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Enforces {@link Requires} before a handler runs. A /v1 handler with neither {@code @Requires}
 * nor {@code @Requires.Public} is refused, so a forgotten annotation fails closed.
 */
@Configuration(proxyBeanMethods = false)
class PermissionInterceptor implements HandlerInterceptor, WebMvcConfigurer {

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method) || !request.getRequestURI().startsWith("/v1/")) {
      return true;
    }
    if (method.hasMethodAnnotation(Requires.Public.class)) {
      return true;
    }
    if (Operator.is(request)) {
      if (!method.hasMethodAnnotation(Requires.OperatorAllowed.class)) {
        throw new IllegalStateException("operator request reached " + method.getShortLogMessage());
      }
      return true;
    }
    Requires requires = method.getMethodAnnotation(Requires.class);
    if (requires == null) {
      throw new IllegalStateException("endpoint " + method.getShortLogMessage() + " declares no @Requires");
    }
    Caller.of(request).require(requires.value());
    return true;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this);
  }
}
