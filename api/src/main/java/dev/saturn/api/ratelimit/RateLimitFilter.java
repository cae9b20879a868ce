package dev.saturn.api.ratelimit;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.security.Routes;
import dev.saturn.api.web.ProblemWriter;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies {@link RateLimiter} to every request of a company caller. It runs inside the security
 * filter chain, after authorization, so it sees the authenticated {@link Caller} and the handler the
 * request reaches ({@link Routes}); handlers marked {@link StartsChatTurn} also count as chat turns.
 * A refused request gets 429 RATE_LIMITED with {@code Retry-After}; every limited response carries
 * {@code RateLimit-Limit} and {@code RateLimit-Remaining}.
 */
@Component
public class RateLimitFilter extends OncePerRequestFilter {

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
    Optional<Caller> caller = properties.enabled() ? Caller.current() : Optional.empty();
    if (caller.isEmpty() || isPublic(request)) {
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

  /** Health, readiness and login answer whoever asks; login has a throttle of its own. */
  private static boolean isPublic(HttpServletRequest request) {
    return Routes.matchedMethod(request).filter(handler -> handler.hasMethodAnnotation(Requires.Public.class)).isPresent();
  }

  private static boolean isChatTurn(HttpServletRequest request) {
    return Routes.matchedMethod(request).filter(handler -> handler.hasMethodAnnotation(StartsChatTurn.class)).isPresent();
  }

  /** Only in the security chain: Boot would otherwise also register it as a servlet filter of its own. */
  @Bean
  static FilterRegistrationBean<RateLimitFilter> rateLimitFilterRegistration(RateLimitFilter filter) {
    FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setEnabled(false);
    return registration;
  }
}
