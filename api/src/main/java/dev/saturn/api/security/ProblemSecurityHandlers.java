package dev.saturn.api.security;

import dev.saturn.api.identity.TenantSuspendedException;
import dev.saturn.api.web.ProblemWriter;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's refusals in the API's one error shape (RFC 7807 with {@code code} and
 * {@code request_id}): a missing or bad credential is 401 {@code AUTH_INVALID} (the detail never
 * says which check failed), a valid credential of a suspended company 403 {@code TENANT_SUSPENDED},
 * a refused permission 403 {@code AUTH_FORBIDDEN}, a request the
 * firewall rejects 400 {@code VALIDATION_FAILED}.
 */
class ProblemSecurityHandlers
    implements AuthenticationEntryPoint, AuthenticationFailureHandler, AccessDeniedHandler, RequestRejectedHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemSecurityHandlers.class);

  private final ProblemWriter problems;

  ProblemSecurityHandlers(ProblemWriter problems) {
    this.problems = problems;
  }

  /** No credentials, and the handler needs some. */
  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    problems.write(request, response, ErrorCode.AUTH_INVALID, "Missing Authorization: Bearer credentials");
  }

  /** Credentials that no provider accepts. */
  @Override
  public void onAuthenticationFailure(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) throws IOException {
    if (failure instanceof TenantSuspendedException) {
      problems.write(request, response, ErrorCode.TENANT_SUSPENDED, failure.getMessage());
      return;
    }
    problems.write(request, response, ErrorCode.AUTH_INVALID, failure.getMessage());
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException {
    if (denied instanceof AuthorizationDeniedException refused
        && refused.getAuthorizationResult() instanceof HandlerAuthorization.Denial denial) {
      problems.write(request, response, denial.code(), denial.detail());
      return;
    }
    problems.write(request, response, ErrorCode.AUTH_FORBIDDEN, null);
  }

  /** The firewall's verdict: an encoded slash or dot, a path parameter, {@code //}, {@code ..}, ... */
  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
      throws IOException {
    log.info("request rejected by the firewall: {}", rejected.getMessage());
    problems.write(request, response, ErrorCode.VALIDATION_FAILED,
        "The request URL is not in normal form (encoded '/', '.' or '%', ';', '//', '..' or a control character)");
  }
}
