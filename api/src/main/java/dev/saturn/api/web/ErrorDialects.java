package dev.saturn.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The {@link ErrorDialect} for a request, by the handler it is routed to; none means RFC 7807. */
@Component
public class ErrorDialects {

  private final List<ErrorDialect> dialects;
  private final ObjectProvider<HandlerLookup> lookup;

  ErrorDialects(List<ErrorDialect> dialects, ObjectProvider<HandlerLookup> lookup) {
    this.dialects = List.copyOf(dialects);
    this.lookup = lookup;
  }

  public Optional<ErrorDialect> forRequest(HttpServletRequest request) {
    if (dialects.isEmpty() || request == null) {
      return Optional.empty();
    }
    HandlerLookup handlers = lookup.getIfAvailable();
    if (handlers == null) {
      return Optional.empty();
    }
    try {
      return handlers.handlerOf(request)
          .flatMap(handler -> dialects.stream().filter(dialect -> dialect.speaksFor(handler)).findFirst());
    } catch (RuntimeException unroutable) {
      // A path no mapping can parse: it reaches no handler, so no handler's dialect either.
      return Optional.empty();
    }
  }
}
