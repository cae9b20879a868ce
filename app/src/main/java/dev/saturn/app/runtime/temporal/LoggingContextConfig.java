package dev.saturn.app.runtime.temporal;

import dev.saturn.workflows.common.LoggingContextPropagator;
import io.temporal.common.context.ContextPropagator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Request, company and agent ids travel with every workflow start into workflow and activity logs. */
@Configuration(proxyBeanMethods = false)
class LoggingContextConfig {

  @Bean
  ContextPropagator loggingContextPropagator() {
    return new LoggingContextPropagator();
  }
}
