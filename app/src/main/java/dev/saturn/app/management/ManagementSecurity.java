package dev.saturn.app.management;

import dev.saturn.api.security.SecurityConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The actuator endpoints (metrics, health, info) live on their own management port
 * ({@code MANAGEMENT_SERVER_PORT}, bound to loopback unless {@code MANAGEMENT_SERVER_ADDRESS} says
 * otherwise), never on the API port, and answer without credentials there: who can reach that port
 * is decided by the network (a scraper on the same host or pod), as Prometheus expects.
 */
@Configuration(proxyBeanMethods = false)
class ManagementSecurity {

  @Bean
  @Order(SecurityConfiguration.API_CHAIN_ORDER - 10)
  SecurityFilterChain managementEndpoints(HttpSecurity http) throws Exception {
    return http
        .securityMatcher(EndpointRequest.toAnyEndpoint())
        .csrf(csrf -> csrf.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .build();
  }
}
