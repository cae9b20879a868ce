package dev.saturn.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.web.method.HandlerMethod;

/**
 * Which controller method a request is routed to, also before MVC has run (in a servlet filter or
 * the security chain). Implemented by the security package's route lookup, which owns the answer.
 */
public interface HandlerLookup {

  Optional<HandlerMethod> handlerOf(HttpServletRequest request);
}
