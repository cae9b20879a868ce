package dev.saturn.app.runtime.temporal;

import dev.saturn.app.runtime.LocalPorts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps {@code saturn.temporal.*} onto the Temporal starter's {@code spring.temporal.*}, so
 * operators keep one set of settings.
 *
 * <p>Only the namespace and the target are mapped: the starter switches its client on when a
 * target is set. The connection itself is finished by {@link TemporalConnectionConfig}'s stubs
 * customizer, which takes the address from the {@link TemporalServer} bean (the truth when a test
 * picks the port later) and adds TLS, mTLS and the API key for an external server.
 */
public class TemporalStarterSettings implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "saturnTemporalStarterSettings";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    apply(environment);
  }

  /** Also for tests that build a context without {@code SpringApplication}. */
  public static void apply(ConfigurableEnvironment environment) {
    TemporalProperties temporal =
        Binder.get(environment).bindOrCreate("saturn.temporal", TemporalProperties.class);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("spring.temporal.namespace", temporal.namespace());
    settings.put("spring.temporal.connection.target", target(temporal));
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, settings));
  }

  /**
   * Never empty, even for an external mode without a target: the starter would then quietly make
   * no client, and the missing target is reported by {@link TemporalProperties}' validation instead.
   */
  static String target(TemporalProperties temporal) {
    if (temporal.mode() == TemporalMode.EXTERNAL && temporal.target() != null) {
      return temporal.target();
    }
    return LocalPorts.hostPort(LocalPorts.reachableFromHere(temporal.bindAddress()), temporal.port());
  }
}
