package dev.saturn.worker;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Hands {@link SaturnWorkers} to the Temporal starter as {@code spring.temporal.workers[*]} when
 * this process runs the worker role; without them the starter creates no worker factory at all.
 *
 * <p>The starter decides while the context is parsed, so {@code saturn.roles} must be known to the
 * environment by then (environment, command line, application.yml, {@code @SpringBootTest}
 * properties); a role set later (a test's {@code @DynamicPropertySource}) is refused at startup by
 * {@link WorkerConfig}'s and the app's role checks rather than silently ignored.
 */
public class WorkerRegistrations implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "saturnWorkerRegistrations";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (WorkerRole.isEnabled(environment)) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, SaturnWorkers.starterProperties()));
    }
  }
}
