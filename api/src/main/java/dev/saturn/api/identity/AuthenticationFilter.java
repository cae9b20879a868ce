package dev.saturn.api.identity;

import dev.saturn.api.web.ProblemWriter;
import dev.saturn.api.web.RequestContext;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /v1} request: {@code POST /v1/companies} with the operator token,
 * everything else with a company API key. Any failure is the same 401 AUTH_INVALID, so a caller
 * cannot tell an unknown key from a revoked or expired one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

  private final ApiKeyRepository keys;
  private final AdminToken adminToken;
  private final ProblemWriter problems;
  private final Clock clock;

  AuthenticationFilter(ApiKeyRepository keys, AdminToken adminToken, ProblemWriter problems, Clock clock) {
    this.keys = keys;
    this.adminToken = adminToken;
    this.problems = problems;
    this.clock = clock;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !(path.equals("/v1") || path.startsWith("/v1/"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String token = bearerToken(request);
    if (token == null) {
      problems.write(request, response, ErrorCode.AUTH_INVALID, "Missing Authorization: Bearer credentials");
      return;
    }
    if (isCompanyCreation(request)) {
      if (!adminToken.matches(token)) {
        problems.write(request, response, ErrorCode.AUTH_INVALID, "Creating a company needs the operator token");
        return;
      }
      chain.doFilter(request, response);
      return;
    }
    Optional<ApiKeyRow> key = authenticate(token);
    if (key.isEmpty()) {
      problems.write(request, response, ErrorCode.AUTH_INVALID, "Invalid API key");
      return;
    }
    Caller caller = new Caller(CompanyId.of(key.get().companyId()), key.get().id());
    request.setAttribute(Caller.ATTRIBUTE, caller);
    RequestContext.setCompany(caller.company().value());
    keys.touchLastUsed(caller.company(), caller.keyId(), clock.instant());
    chain.doFilter(request, response);
  }

  private Optional<ApiKeyRow> authenticate(String token) {
    Instant now = clock.instant();
    return ApiKeys.prefixOf(token)
        .flatMap(keys::findForAuthentication)
        .filter(row -> ApiKeys.matches(token, row.keyHash()))
        .filter(row -> "active".equals(row.status()))
        .filter(row -> row.expiresAt() == null || row.expiresAt().isAfter(now));
  }

  private static boolean isCompanyCreation(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return "POST".equals(request.getMethod()) && (path.equals("/v1/companies") || path.equals("/v1/companies/"));
  }

  private static String bearerToken(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
