package dev.saturn.api.security;

import dev.saturn.api.web.HandlerLookup;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Finds the handler Spring MVC will run for a request, before it runs, by asking the same handler
 * mappings in the same order as the DispatcherServlet. Security decisions are taken on that handler,
 * never on the raw URI: a path that differs by encoding, a path parameter or a dot-segment either
 * reaches the same handler (and gets its rules) or no handler at all.
 *
 * <p>The lookup runs on a wrapper that keeps every request attribute the mappings write to itself,
 * so the dispatcher later starts from a clean request.
 */
@Component
public class Routes implements HandlerLookup {

  /** Request attribute holding the {@link Route} found for the request. */
  public static final String ATTRIBUTE = Routes.class.getName() + ".route";

  private final ApplicationContext context;
  private volatile List<HandlerMapping> mappings;

  Routes(ApplicationContext context) {
    this.context = context;
  }

  /** What a request resolves to. */
  public sealed interface Route {}

  /** A controller method (ours, the API documents', or the framework's OPTIONS answer). */
  public record Method(HandlerMethod handler) implements Route {}

  /** A handler that is not a method: static resources. */
  public record Other(Object handler) implements Route {}

  /** A path that matches a route with another method, media type or parameters: MVC answers 4xx. */
  public record Mismatch(Exception reason) implements Route {}

  /** No handler at all: MVC answers 404. */
  public record None() implements Route {}

  /** The route found for this request earlier in the chain, if the authorization step looked it up. */
  public static Optional<HandlerMethod> matchedMethod(HttpServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof Method method ? Optional.of(method.handler()) : Optional.empty();
  }

  /**
   * The route found earlier in the chain, else (on the request's own dispatch, in a filter that runs
   * before the authorization step) looked up now. An error dispatch is about the original request,
   * so it never looks up its own path.
   */
  @Override
  public Optional<HandlerMethod> handlerOf(HttpServletRequest request) {
    Object found = request.getAttribute(ATTRIBUTE);
    Route route = found instanceof Route earlier ? earlier
        : request.getDispatcherType() == DispatcherType.REQUEST ? resolve(request) : new None();
    return route instanceof Method method ? Optional.of(method.handler()) : Optional.empty();
  }

  public Route resolve(HttpServletRequest request) {
    Route route = lookup(new AttributeShield(request));
    request.setAttribute(ATTRIBUTE, route);
    return route;
  }

  private Route lookup(HttpServletRequest request) {
    ServletRequestPathUtils.parseAndCache(request);
    for (HandlerMapping mapping : mappings()) {
      HandlerExecutionChain chain;
      try {
        chain = mapping.getHandler(request);
      } catch (Exception mismatch) {
        // HttpRequestMethodNotSupportedException, HttpMediaTypeNotSupportedException, ...
        return new Mismatch(mismatch);
      }
      if (chain != null) {
        return chain.getHandler() instanceof HandlerMethod method ? new Method(method) : new Other(chain.getHandler());
      }
    }
    return new None();
  }

  private List<HandlerMapping> mappings() {
    List<HandlerMapping> found = mappings;
    if (found == null) {
      found = new ArrayList<>(
          BeanFactoryUtils.beansOfTypeIncludingAncestors(context, HandlerMapping.class, true, false).values());
      AnnotationAwareOrderComparator.sort(found);
      mappings = found = List.copyOf(found);
    }
    return found;
  }

  /** Reads through to the request, keeps writes to itself. */
  private static final class AttributeShield extends HttpServletRequestWrapper {

    private final Map<String, Object> written = new HashMap<>();
    private final List<String> removed = new ArrayList<>();

    AttributeShield(HttpServletRequest request) {
      super(request);
    }

    @Override
    public Object getAttribute(String name) {
      if (written.containsKey(name)) {
        return written.get(name);
      }
      return removed.contains(name) ? null : super.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      removed.remove(name);
      written.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
      written.remove(name);
      removed.add(name);
    }
  }
}
