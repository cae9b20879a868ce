package dev.saturn.activities.tracing;

import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The span helpers over the application's OpenTelemetry, or no-ops where there is none. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TracingProperties.class)
public class TracingConfig {

  @Bean
  public GenAiSpans genAiSpans(ObjectProvider<OpenTelemetry> openTelemetry, TracingProperties properties) {
    return new GenAiSpans(openTelemetry.getIfAvailable(OpenTelemetry::noop), properties.captureContent());
  }

  @Bean
  public HttpClientSpans httpClientSpans(ObjectProvider<OpenTelemetry> openTelemetry) {
    return new HttpClientSpans(openTelemetry.getIfAvailable(OpenTelemetry::noop));
  }
}
