package dev.saturn.api.security;

import dev.saturn.api.codec.CodecCors;
import dev.saturn.api.codec.CodecProperties;
import dev.saturn.api.identity.CallerAuthentication;
import dev.saturn.api.ratelimit.RateLimitFilter;
import dev.saturn.api.web.ApiDocsProperties;
import dev.saturn.api.web.ProblemWriter;
import dev.saturn.api.web.RequestContext;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.web.filter.CorsFilter;

/**
 * The front door, on Spring Security: the strict firewall rejects paths that are not in normal form
 * before anything else sees them; bearer credentials are authenticated by the providers of
 * {@code BearerAuthenticationConfig}; every request is then decided on the handler it will reach
 * ({@link HandlerAuthorization}); the rate limiter runs last, keyed on the authenticated caller and
 * the matched handler. Stateless: no session, no cookies, so no CSRF token either. The codec
 * endpoint has a chain of its own with the same rules plus CORS.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ApiDocsProperties.class)
public class SecurityConfiguration {

  /** The API's chain; a management chain, where there is one, is ordered before it. */
  public static final int API_CHAIN_ORDER = 100;
  /** The codec endpoint's chain: the API's rules plus CORS, for its paths only. */
  static final int CODEC_CHAIN_ORDER = API_CHAIN_ORDER - 1;

  @Bean
  @Order(API_CHAIN_ORDER)
  SecurityFilterChain apiSecurity(
      HttpSecurity http, AuthenticationManager bearerAuthenticationManager, Routes routes, ApiDocsProperties apiDocs,
      ProblemWriter problems, RateLimitFilter rateLimits) throws Exception {
    return frontDoor(http, bearerAuthenticationManager, routes, apiDocs, problems, rateLimits).build();
  }

  /**
   * The codec endpoint ({@code /v1/codec/decode}, {@code /encode}) with the same rules as the API, plus
   * Spring's CORS filter for the Temporal UI's origins ({@code saturn.temporal.codec.cors-origins}), in
   * Spring Security's place for it, refusals as problems ({@link CodecCors#filter}).
   * Its own chain because the CORS filter answers every preflight itself, without credentials: only the
   * codec paths may behave so, every other path keeps answering an anonymous OPTIONS with 401.
   */
  @Bean
  @Order(CODEC_CHAIN_ORDER)
  SecurityFilterChain codecSecurity(
      HttpSecurity http, AuthenticationManager bearerAuthenticationManager, Routes routes, ApiDocsProperties apiDocs,
      ProblemWriter problems, RateLimitFilter rateLimits, CodecProperties codec) throws Exception {
    return frontDoor(http.securityMatcher(CodecCors.PATHS), bearerAuthenticationManager, routes, apiDocs, problems, rateLimits)
        .addFilterAt(CodecCors.filter(codec, problems), CorsFilter.class)
        .build();
  }

  private static HttpSecurity frontDoor(
      HttpSecurity http, AuthenticationManager bearerAuthenticationManager, Routes routes, ApiDocsProperties apiDocs,
      ProblemWriter problems, RateLimitFilter rateLimits) throws Exception {
    ProblemSecurityHandlers handlers = new ProblemSecurityHandlers(problems);
    AuthenticationFilter bearer = new AuthenticationFilter(bearerAuthenticationManager, new BearerTokenConverter());
    bearer.setFailureHandler(handlers);
    bearer.setSuccessHandler((request, response, authentication) -> {
      if (authentication instanceof CallerAuthentication caller) {
        RequestContext.setCompany(caller.caller().company().value());
      }
    });
    return http
        .csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterAt(bearer, BasicAuthenticationFilter.class)
        .addFilterAfter(rateLimits, AuthorizationFilter.class)
        .exceptionHandling(errors -> errors.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
        .authorizeHttpRequests(requests -> requests
            // Error pages render the original request's problem; async dispatches continue an authorized request.
            .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
            .anyRequest().access(new HandlerAuthorization(routes, apiDocs)));
  }

  /**
   * No observations of Spring Security's own: without this, every filter of every chain, the
   * authentication and the authorization run inside an observation of their own (four per request,
   * each a span and a timer had they not been turned off by {@code management.observations.enable.spring.security}),
   * which costs CPU on each request even when disabled. The HTTP server span still times the whole request.
   */
  @Bean
  static SecurityObservationSettings securityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  /** Spring's strict firewall, with its refusals in the API's error shape. */
  @Bean
  WebSecurityCustomizer firewall(ProblemWriter problems) {
    return web -> web
        .httpFirewall(new StrictHttpFirewall())
        .requestRejectedHandler(new ProblemSecurityHandlers(problems));
  }
}
