package dev.saturn.api.security;

import dev.saturn.api.console.CompanyChoice;
import dev.saturn.api.identity.CallerAuthentication;
import dev.saturn.api.identity.ConsoleAccounts;
import dev.saturn.api.identity.OperatorSignIn;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.RequestContext;
import dev.saturn.db.identity.UserRepository.EmailCompany;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Console sign-in on Spring Security's form login, with {@link ConsoleAccounts} (and the operator's,
 * with {@link OperatorSignIn}): the session keeps
 * only who signed in ({@link Session}: company and user ids); each request turns it into the user's
 * {@link CallerAuthentication} as of now, or ends the session when the user or company no longer may.
 */
final class ConsoleSignIn {

  private ConsoleSignIn() {}

  /** What the session holds: the user who signed in, nothing the browser could use elsewhere. */
  static final class Session extends AbstractAuthenticationToken {
    private final String companyId;
    private final String userId;

    Session(String companyId, String userId) {
      super(List.of());
      this.companyId = companyId;
      this.userId = userId;
      setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
      return null;
    }

    @Override
    public Object getPrincipal() {
      return "user:" + userId;
    }
  }

  /** The form's company choice and the client address (for the sign-in throttle). */
  record Details(String remoteAddress, String companyId) implements Serializable {
    static Details of(HttpServletRequest request) {
      String company = request.getParameter("company");
      return new Details(request.getRemoteAddr(), company == null || company.isBlank() ? null : company);
    }
  }

  /** The password is right in several companies. */
  static final class CompanyChoiceNeeded extends AuthenticationException {
    private final transient List<EmailCompany> companies;

    CompanyChoiceNeeded(List<EmailCompany> companies) {
      super("Choose the company");
      this.companies = companies;
    }
  }

  static final class Refused extends AuthenticationException {
    private final String reason;

    Refused(String reason) {
      super("Sign-in refused: " + reason);
      this.reason = reason;
    }
  }

  static final class Provider implements AuthenticationProvider {
    private final ConsoleAccounts accounts;

    Provider(ConsoleAccounts accounts) {
      this.accounts = accounts;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
      String email = String.valueOf(authentication.getPrincipal()).strip();
      String password = String.valueOf(authentication.getCredentials());
      Details details = authentication.getDetails() instanceof Details d ? d : new Details("unknown", null);
      if (email.isEmpty() || email.length() > 320 || password.length() > 1000) {
        throw new BadCredentialsException("Wrong email or password");
      }
      ConsoleAccounts.SignIn result;
      try {
        result = accounts.signIn(details.remoteAddress(), email, password, details.companyId());
      } catch (ApiException tooMany) {
        throw new Refused("throttled");
      }
      if (result instanceof ConsoleAccounts.SignedIn in) {
        return new Session(in.companyId(), in.userId());
      }
      if (result instanceof ConsoleAccounts.ChooseCompany choose) {
        throw new CompanyChoiceNeeded(choose.companies());
      }
      if (result instanceof ConsoleAccounts.Suspended) {
        throw new Refused("suspended");
      }
      throw new BadCredentialsException("Wrong email or password");
    }

    @Override
    public boolean supports(Class<?> authentication) {
      return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
  }

  static AuthenticationSuccessHandler succeeded(String home) {
    return (request, response, authentication) -> {
      HttpSession session = request.getSession(false);
      if (session != null) {
        session.removeAttribute(CompanyChoice.SESSION_ATTRIBUTE);
      }
      response.sendRedirect(home);
    };
  }

  static AuthenticationFailureHandler failed(String loginPage) {
    return (request, response, failure) -> {
      HttpSession session = request.getSession();
      session.removeAttribute(CompanyChoice.SESSION_ATTRIBUTE);
      if (failure instanceof CompanyChoiceNeeded choose) {
        session.setAttribute(CompanyChoice.SESSION_ATTRIBUTE, new CompanyChoice(request.getParameter("email"), choose.companies));
        response.sendRedirect(loginPage + "?choose");
      } else {
        response.sendRedirect(loginPage + "?error=" + (failure instanceof Refused refused ? refused.reason : "refused"));
      }
    };
  }

  /**
   * The operator console's sign-in ({@code POST /console/operator/login}, field {@code token}): the
   * session becomes the operator's, under a new session id and a new CSRF token (session fixation),
   * and reaches only {@code @Requires.Operator} pages ({@link HandlerAuthorization}).
   */
  static AbstractAuthenticationProcessingFilter operator(
      OperatorSignIn signIn, CsrfTokenRepository csrf, String path, String home) {
    AbstractAuthenticationProcessingFilter filter = new AbstractAuthenticationProcessingFilter(
        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, path)) {
      @Override
      public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response) {
        try {
          return signIn.signIn(request.getRemoteAddr(), request.getParameter("token"))
              .orElseThrow(() -> new BadCredentialsException("Wrong operator token"));
        } catch (ApiException tooMany) {
          throw new Refused("throttled");
        }
      }
    };
    filter.setAuthenticationManager(authentication -> authentication); // attemptAuthentication decides
    filter.setSessionAuthenticationStrategy(new CompositeSessionAuthenticationStrategy(List.of(
        new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(csrf))));
    filter.setSecurityContextRepository(new HttpSessionSecurityContextRepository());
    filter.setAuthenticationSuccessHandler((request, response, authentication) -> {
      HttpSession session = request.getSession(false);
      if (session != null) {
        session.removeAttribute(CompanyChoice.SESSION_ATTRIBUTE);
      }
      response.sendRedirect(home);
    });
    filter.setAuthenticationFailureHandler((request, response, failure) -> response.sendRedirect(
        path + "?error=" + (failure instanceof Refused refused ? refused.reason : "refused")));
    return filter;
  }

  /** Turns the session's sign-in into the user's caller for this request, as of now. */
  static OncePerRequestFilter callers(ConsoleAccounts accounts) {
    return new OncePerRequestFilter() {
      @Override
      protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
          throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() instanceof Session signedIn) {
          Optional<CallerAuthentication> caller = accounts.resume(signedIn.companyId, signedIn.userId);
          if (caller.isPresent()) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(caller.get());
            SecurityContextHolder.setContext(context); // this request only: the session keeps the Session
            RequestContext.setCompany(signedIn.companyId);
          } else {
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
              session.invalidate();
            }
          }
        }
        chain.doFilter(request, response);
      }
    };
  }

}
