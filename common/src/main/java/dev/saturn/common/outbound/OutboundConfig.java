package dev.saturn.common.outbound;

import java.net.InetAddress;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The one SSRF guard of the process, used by the worker when it connects (tools today) and by the
 * API when a tenant registers a URL. Its allowlist is the union of {@code saturn.outbound.allowed-hosts}
 * and the deprecated {@code saturn.tools.allowed-hosts}, so a deployment that only sets
 * {@code SATURN_TOOLS_ALLOWED_HOSTS} keeps working. A malformed entry in either fails the start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OutboundProperties.class)
public class OutboundConfig {

  @Bean
  SsrfGuard ssrfGuard(OutboundProperties properties, Environment environment) {
    String deprecated = Binder.get(environment).bind(OutboundProperties.DEPRECATED_TOOLS_SETTING, String.class).orElse("");
    return new SsrfGuard(
        new AllowedTargets(properties.allowedHosts(), OutboundProperties.SETTING)
            .and(new AllowedTargets(deprecated, OutboundProperties.DEPRECATED_TOOLS_SETTING)),
        InetAddress::getAllByName);
  }
}
