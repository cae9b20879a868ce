package dev.saturn.app.replay;

import dev.saturn.app.runtime.temporal.TemporalProperties;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds {@code saturn.temporal.*} exactly as the server does (application.yml, environment
 * variables, system properties, {@code --key=value} arguments, profiles), in a context that holds
 * nothing else: no web server, no database, no Temporal server, no worker.
 *
 * <p>The {@code replay} profile (application-replay.yml) keeps the logs quiet and in plain text, so
 * that the report is what an operator reads.
 */
// Not a @Configuration: the server's component scan of dev.saturn must not pick it up.
@EnableConfigurationProperties(TemporalProperties.class)
class ReplaySettings {

  static final String PROFILE = "replay";

  static TemporalProperties load(List<String> settings) {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReplaySettings.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .registerShutdownHook(false)
        .profiles(PROFILE)
        .run(settings.toArray(String[]::new))) {
      return context.getBean(TemporalProperties.class);
    }
  }
}
