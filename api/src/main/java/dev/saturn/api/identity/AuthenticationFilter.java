package dev.saturn.api.identity;

import dev.saturn.api.web.ProblemWriter;
import dev.saturn.api.web.RequestContext;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.ApiKeyRepository;
import dev.saturn.db.identity.ApiKeyRow;
import dev.saturn.db.identity.UserRepository;
import dev.saturn.db.identity.UserRow;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates every {@code /v1} request: {@code POST /v1/companies} with the operator token,
 * {@code POST /v1/auth/login} with nothing (it checks a password itself), everything else with a
 * company API key ({@code sat_...}) or a user's access token (any other bearer token, verified as
 * a JWT; the user must still be active, and their current role decides); the few operator paths
 * ({@link Operator#PATHS}) also with the operator token. Any failure is the same
 * 401 AUTH_INVALID, so a caller cannot tell an unknown key from a revoked or expired one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AuthenticationFilter extends OncePerRequestFilter {

  private final ApiKeyRepository keys;
  private final UserRepository users;
  private final JsonMapper json;
  private final AdminToken adminToken;
  private final ProblemWriter problems;
  private final Clock clock;
  private final AccessTokens accessTokens;

  AuthenticationFilter(
      ApiKeyRepository keys, UserRepository users, JsonMapper json, AdminToken adminToken, ProblemWriter problems,
      Clock clock, AccessTokens accessTokens) {
    this.keys = keys;
    this.users = users;
    this.json = json;
    this.adminToken = adminToken;
    this.problems = problems;
    this.clock = clock;
    this.accessTokens = accessTokens;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return !(path.equals("/v1") || path.startsWith("/v1/"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (isLogin(request)) {
      chain.doFilter(request, response);
      return;
    }
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
    if (Operator.PATHS.contains(pathOf(request)) && "POST".equals(request.getMethod()) && adminToken.matches(token)) {
      request.setAttribute(Operator.ATTRIBUTE, Boolean.TRUE);
      chain.doFilter(request, response);
      return;
    }
    boolean apiKey = token.startsWith("sat_");
    Optional<Caller> caller = apiKey ? authenticate(token) : authenticateUser(token);
    if (caller.isEmpty()) {
      problems.write(request, response, ErrorCode.AUTH_INVALID, apiKey ? "Invalid API key" : "Invalid or expired access token");
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    RequestContext.setCompany(caller.get().company().value());
    if (caller.get().actorType() == Caller.ActorType.KEY) {
      keys.touchLastUsed(caller.get().company(), caller.get().actorId(), clock.instant());
    }
    chain.doFilter(request, response);
  }

  private Optional<Caller> authenticate(String token) {
    Instant now = clock.instant();
    return ApiKeys.prefixOf(token)
        .flatMap(keys::findForAuthentication)
        .filter(row -> ApiKeys.matches(token, row.keyHash()))
        .filter(row -> ApiKeyStatus.authenticates(row, now))
        .flatMap(this::callerOf);
  }

  /** The role in the database, not the one in the token: a demotion or deactivation applies at once. */
  private Optional<Caller> authenticateUser(String token) {
    return accessTokens.verify(token).flatMap(claims -> {
      CompanyId company = CompanyId.of(claims.companyId());
      return users.find(company, claims.userId())
          .filter(u -> "active".equals(u.status()))
          .map(u -> Caller.user(company, u.id(), RolePermissions.of(u.role())));
    });
  }

  /** A key may do what its scopes allow, and no more than its owner's role (an inactive owner: nothing). */
  private Optional<Caller> callerOf(ApiKeyRow key) {
    CompanyId company = CompanyId.of(key.companyId());
    Set<Permission> permissions = EnumSet.noneOf(Permission.class);
    permissions.addAll(KeyScopes.permissions(List.of(json.readValue(key.scopesJson(), String[].class))));
    if (key.userId() != null) {
      Optional<UserRow> owner = users.find(company, key.userId()).filter(u -> "active".equals(u.status()));
      if (owner.isEmpty()) {
        return Optional.empty();
      }
      permissions.retainAll(RolePermissions.of(owner.get().role()));
    }
    return Optional.of(Caller.key(company, key.id(), key.userId(), permissions));
  }

  private static boolean isCompanyCreation(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return "POST".equals(request.getMethod()) && (path.equals("/v1/companies") || path.equals("/v1/companies/"));
  }

  private static String pathOf(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  private static boolean isLogin(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return "POST".equals(request.getMethod()) && (path.equals("/v1/auth/login") || path.equals("/v1/auth/login/"));
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
