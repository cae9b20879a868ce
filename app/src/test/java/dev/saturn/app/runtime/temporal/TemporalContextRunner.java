package dev.saturn.app.runtime.temporal;

import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Temporal connection as the application wires it (SATURN's server and customizers, the
 * starter's stubs and client, {@code saturn.temporal.*} mapped onto {@code spring.temporal.*}),
 * without the rest of the application.
 */
public final class TemporalContextRunner {

  private TemporalContextRunner() {}

  public static ApplicationContextRunner create() {
    return new ApplicationContextRunner()
        .withInitializer(context -> TemporalStarterSettings.apply(context.getEnvironment()))
        .withConfiguration(
            AutoConfigurations.of(ServiceStubsAutoConfiguration.class, RootNamespaceAutoConfiguration.class))
        .withUserConfiguration(TemporalConnectionConfig.class);
  }
}
