package dev.saturn.api.security;

import dev.saturn.api.console.ConsoleController;
import dev.saturn.api.console.ConsoleProperties;
import dev.saturn.api.identity.ConsoleAccounts;
import dev.saturn.api.identity.Operator;
import dev.saturn.api.identity.OperatorSignIn;
import dev.saturn.api.web.ApiDocsProperties;
import jakarta.servlet.DispatcherType;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The web console's front door, a chain of its own for {@code /console/**}, ordered before the API's
 * (whose chain matches everything else and stays stateless, bearer only): form sign-in with email and
 * password ({@link ConsoleSignIn}), the platform operator's sign-in with the operator token on a page of
 * its own ({@link OperatorSignIn}; the operator's session reaches only operator pages, a user's never
 * does), a server-side session whose cookie is HttpOnly, Secure,
 * SameSite=Lax and scoped to /console ({@code ConsoleWebConfiguration}), Spring Security's CSRF
 * protection on every unsafe request, sign-out, a strict content security policy (scripts from the jar
 * only). Pages are decided by {@link HandlerAuthorization} on the console surface, with the same
 * {@code @Requires} rules as the API, for the signed-in user's current role ({@link ConsoleSignIn#callers}).
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleSecurityConfiguration {

  /** Before the API's chain and the codec's, so /console never reaches their matchers. */
  static final int CONSOLE_CHAIN_ORDER = SecurityConfiguration.CODEC_CHAIN_ORDER - 1;

  static final String LOGIN = ConsoleController.ROOT + "/login";
  static final String LOGOUT = ConsoleController.ROOT + "/logout";
  static final String OPERATOR_LOGIN = ConsoleController.ROOT + "/operator/login";
  static final String OPERATOR_HOME = ConsoleController.ROOT + "/operator/companies";

  @Bean
  @Order(CONSOLE_CHAIN_ORDER)
  SecurityFilterChain consoleSecurity(
      HttpSecurity http, ConsoleAccounts accounts, OperatorSignIn operator, Routes routes, ApiDocsProperties apiDocs)
      throws Exception {
    CsrfTokenRepository csrf = new HttpSessionCsrfTokenRepository(); // the default, named to renew it at operator sign-in
    return http
        .securityMatcher(ConsoleController.ROOT, ConsoleController.ROOT + "/**")
        .httpBasic(basic -> basic.disable())
        .csrf(protection -> protection.csrfTokenRepository(csrf))
        .requestCache(cache -> cache.disable())
        .authenticationManager(new ProviderManager(new ConsoleSignIn.Provider(accounts)))
        .formLogin(form -> form
            .loginPage(LOGIN)
            .loginProcessingUrl(LOGIN)
            .usernameParameter("email")
            .passwordParameter("password")
            .authenticationDetailsSource(ConsoleSignIn.Details::of)
            .successHandler(ConsoleSignIn.succeeded(ConsoleController.ROOT + "/agents"))
            .failureHandler(ConsoleSignIn.failed(LOGIN))
            .permitAll())
        .logout(logout -> logout
            .logoutUrl(LOGOUT)
            .logoutSuccessUrl(LOGIN + "?signedOut")
            .deleteCookies(ConsoleProperties.COOKIE))
        .addFilterBefore(ConsoleSignIn.operator(operator, csrf, OPERATOR_LOGIN, OPERATOR_HOME),
            UsernamePasswordAuthenticationFilter.class)
        .addFilterBefore(ConsoleSignIn.callers(accounts), AuthorizationFilter.class)
        .exceptionHandling(errors -> errors.authenticationEntryPoint(signInFirst()).accessDeniedHandler(forbiddenPage()))
        .headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"))
            .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
        .authorizeHttpRequests(requests -> requests
            .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
            .anyRequest().access(new HandlerAuthorization(routes, apiDocs, HandlerAuthorization.Surface.CONSOLE)))
        .build();
  }

  /**
   * Without a session a browser's page request is sent to the sign-in page; anything else (an API
   * client, a script) gets a plain 401, never a redirect that looks like success.
   */
  private static AuthenticationEntryPoint signInFirst() {
    LoginUrlAuthenticationEntryPoint signIn = new LoginUrlAuthenticationEntryPoint(LOGIN);
    LoginUrlAuthenticationEntryPoint operatorSignIn = new LoginUrlAuthenticationEntryPoint(OPERATOR_LOGIN);
    return (request, response, failure) -> {
      String accept = request.getHeader("Accept");
      boolean operatorPage = request.getRequestURI().startsWith(ConsoleController.ROOT + "/operator/");
      if (request.getHeader("HX-Request") != null) {
        response.setStatus(401);
        response.setHeader("HX-Redirect", operatorPage ? OPERATOR_LOGIN : LOGIN); // htmx follows this with a full page load
      } else if (accept != null && accept.contains("text/html")) {
        (operatorPage ? operatorSignIn : signIn).commence(request, response, failure);
      } else {
        response.setStatus(401);
      }
    };
  }

  /** A refused page, a missing or wrong CSRF token: 403 with a short page, no details. */
  private static AccessDeniedHandler forbiddenPage() {
    byte[] page = forbidden(ConsoleController.ROOT);
    byte[] operatorPage = forbidden(OPERATOR_HOME); // the console's home is a tenant page
    return (request, response, denied) -> {
      response.setStatus(403);
      response.setContentType("text/html;charset=UTF-8");
      response.getOutputStream().write(Operator.isCurrent() ? operatorPage : page);
    };
  }

  private static byte[] forbidden(String back) {
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed · SATURN</title></head>"
        + "<body><main><h1>Not allowed</h1><p>You may not do this here, or the form had expired. "
        + "<a href=\"" + back + "\">Back to the console</a></p></main></body></html>")
        .getBytes(StandardCharsets.UTF_8);
  }
}
