package dev.saturn.api.security;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.CallerAuthentication;
import dev.saturn.api.identity.OperatorAuthentication;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiDocsProperties;
import dev.saturn.workflows.common.ErrorCode;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Decides every request on the handler it will reach ({@link Routes}), never on its path:
 *
 * <ul>
 *   <li>our handlers by their one rule: {@link Requires} (a company caller with the permission),
 *       {@link Requires.Public}, {@link Requires.Operator}, {@link Requires.OperatorAllowed};
 *       a handler without a rule is refused to everybody;
 *   <li>the error controller: anyone (it renders the problem of a request that already failed);
 *   <li>the chat WebSocket's upgrade ({@code /v1/ws}, a handler that {@link AuthenticatesItself}):
 *       anyone; the socket takes the token in its first frame or subprotocol and refuses all else before;
 *   <li>the API document and Swagger UI: public when {@code saturn.api-docs.public}, else any
 *       authenticated caller; static resources: public;
 *   <li>everything else (the framework's OPTIONS answer, a wrong method or media type, no handler):
 *       authenticated callers only, who then get MVC's 4xx.
 * </ul>
 *
 * Each chain decides only its own handlers: the API's chain refuses the console's page controllers
 * ({@link ConsoleController}, which need the console's session and CSRF token) and the console's chain
 * refuses everything else of ours; both apply the same {@link Requires} rules.
 *
 * A refusal of an anonymous request becomes 401 (the entry point), any other a {@link Denial} that
 * {@link ProblemSecurityHandlers} renders with its code and detail.
 */
class HandlerAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

  private static final Logger log = LoggerFactory.getLogger(HandlerAuthorization.class);
  private static final AuthorizationDecision GRANTED = new AuthorizationDecision(true);
  private static final AuthorizationDecision ANONYMOUS_REFUSED = new AuthorizationDecision(false);

  /** A refusal with the problem the caller gets. */
  record Denial(ErrorCode code, String detail) implements AuthorizationResult {
    @Override
    public boolean isGranted() {
      return false;
    }
  }

  /** Which chain decides: the API's (bearer credentials) or the console's (session cookie). */
  enum Surface {
    API,
    CONSOLE
  }

  private final Routes routes;
  private final ApiDocsProperties apiDocs;
  private final Surface surface;

  HandlerAuthorization(Routes routes, ApiDocsProperties apiDocs) {
    this(routes, apiDocs, Surface.API);
  }

  HandlerAuthorization(Routes routes, ApiDocsProperties apiDocs, Surface surface) {
    this.routes = routes;
    this.apiDocs = apiDocs;
    this.surface = surface;
  }

  @Override
  public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
    Authentication who = authentication.get();
    boolean authenticated = who instanceof CallerAuthentication || who instanceof OperatorAuthentication;
    Routes.Route route = routes.resolve(context.getRequest());
    if (route instanceof Routes.Method method && ErrorController.class.isAssignableFrom(method.handler().getBeanType())) {
      return GRANTED; // renders the problem of a request that already failed; no data of its own
    }
    if (route instanceof Routes.Method method && isOurs(method.handler())) {
      boolean consolePage = method.handler().getBeanType().isAnnotationPresent(ConsoleController.class);
      if (consolePage != (surface == Surface.CONSOLE)) {
        return new Denial(ErrorCode.AUTH_FORBIDDEN, consolePage
            ? "Console pages are served to a signed-in console session only"
            : "The console session does not reach the API; use a bearer credential");
      }
      return decide(method.handler(), who);
    }
    if (surface == Surface.CONSOLE) {
      // Beyond its pages the console serves only its static assets and MVC's 404.
      return route instanceof Routes.None
          || route instanceof Routes.Other other && other.handler() instanceof ResourceHttpRequestHandler
          ? GRANTED
          : new Denial(ErrorCode.AUTH_FORBIDDEN, "Not part of the console");
    }
    if (route instanceof Routes.Method method && isApiDocs(method.handler())) {
      return apiDocs.open() || authenticated ? GRANTED : ANONYMOUS_REFUSED;
    }
    if (route instanceof Routes.Other other && authenticatesItself(other.handler())) {
      return GRANTED; // the chat WebSocket: the token comes in its first frame or subprotocol, never the URL
    }
    if (route instanceof Routes.None
        || route instanceof Routes.Other other && other.handler() instanceof ResourceHttpRequestHandler) {
      return GRANTED; // static resources, or MVC's 404 whoever asks
    }
    return authenticated ? GRANTED : ANONYMOUS_REFUSED;
  }

  private AuthorizationResult decide(HandlerMethod handler, Authentication who) {
    if (handler.hasMethodAnnotation(Requires.Public.class)) {
      return GRANTED;
    }
    Requires requires = handler.getMethodAnnotation(Requires.class);
    boolean operatorOnly = handler.hasMethodAnnotation(Requires.Operator.class);
    if (requires == null && !operatorOnly) {
      log.error("handler {} declares no @Requires rule: refused to everybody", handler.getShortLogMessage());
      return new Denial(ErrorCode.AUTH_FORBIDDEN, "This endpoint is not open to any caller");
    }
    if (who instanceof OperatorAuthentication) {
      return operatorOnly || handler.hasMethodAnnotation(Requires.OperatorAllowed.class)
          ? GRANTED
          : new Denial(ErrorCode.AUTH_FORBIDDEN, "The operator token acts for no company; use a company credential");
    }
    if (!(who instanceof CallerAuthentication authenticated)) {
      return ANONYMOUS_REFUSED;
    }
    if (operatorOnly) {
      return new Denial(ErrorCode.AUTH_FORBIDDEN, "Only the platform operator (operator token) may do this");
    }
    Caller caller = authenticated.caller();
    return caller.can(requires.value())
        ? GRANTED
        : new Denial(ErrorCode.AUTH_FORBIDDEN, "This " + caller.actorType().name().toLowerCase(Locale.ROOT)
            + " lacks the permission " + requires.value().name().toLowerCase(Locale.ROOT));
  }

  private static boolean authenticatesItself(Object handler) {
    return handler instanceof WebSocketHttpRequestHandler upgrade
        && WebSocketHandlerDecorator.unwrap(upgrade.getWebSocketHandler()) instanceof AuthenticatesItself;
  }

  private static boolean isOurs(HandlerMethod handler) {
    return handler.getBeanType().getName().startsWith("dev.saturn.");
  }

  private static boolean isApiDocs(HandlerMethod handler) {
    return handler.getBeanType().getName().startsWith("org.springdoc.");
  }
}
