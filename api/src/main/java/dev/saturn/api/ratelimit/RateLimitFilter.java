package dev.saturn.api.ratelimit;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.web.ProblemWriter;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link RateLimiter} to every authenticated request, after the authentication filter has
 * put the {@link Caller} on it. A refused request gets 429 RATE_LIMITED with {@code Retry-After};
 * every limited response carries {@code RateLimit-Limit} and {@code RateLimit-Remaining}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class RateLimitFilter extends OncePerRequestFilter {

  private static final Pattern CHAT = Pattern.compile("^/v1/agents/[^/]+/chat/?$");

  private final RateLimiter limiter;
  private final RateLimitProperties properties;
  private final ProblemWriter problems;

  RateLimitFilter(RateLimiter limiter, RateLimitProperties properties, ProblemWriter problems) {
    this.limiter = limiter;
    this.properties = properties;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<Caller> caller = properties.enabled() ? Caller.find(request) : Optional.empty();
    if (caller.isEmpty()) {
      chain.doFilter(request, response);
      return;
    }
    RateLimitDecision decision = limiter.check(caller.get(), isChatTurn(request));
    if (decision.limit() > 0) {
      response.setHeader("RateLimit-Limit", Long.toString(decision.limit()));
      response.setHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
    }
    if (!decision.allowed()) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
      problems.write(request, response, ErrorCode.RATE_LIMITED,
          decision.reason() + "; retry after " + decision.retryAfterSeconds() + " s");
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean isChatTurn(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return "POST".equals(request.getMethod()) && CHAT.matcher(path).matches();
  }
}
