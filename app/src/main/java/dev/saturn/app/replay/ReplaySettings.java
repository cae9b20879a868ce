package dev.saturn.app.replay;

import dev.saturn.api.codec.CodecProperties;
import dev.saturn.app.runtime.SaturnProperties;
import dev.saturn.app.runtime.temporal.TemporalProperties;
import dev.saturn.app.runtime.temporal.codec.CodecKeys;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds {@code saturn.temporal.*} (with the payload codec's keys) and the data dir exactly as the
 * server does (application.yml, environment variables, system properties, {@code --key=value}
 * arguments, profiles), in a context that holds nothing else: no web server, no database, no
 * Temporal server, no worker.
 *
 * <p>The {@code replay} profile (application-replay.yml) keeps the logs quiet and in plain text, so
 * that the report is what an operator reads.
 */
// Not a @Configuration: the server's component scan of dev.saturn must not pick it up.
@EnableConfigurationProperties({TemporalProperties.class, CodecProperties.class, SaturnProperties.class})
class ReplaySettings {

  static final String PROFILE = "replay";

  /** What the command needs: where Temporal is, and the keys that decrypt its payloads. */
  record Settings(TemporalProperties temporal, CodecProperties codec, Path dataDir) {

    /** The configured keys, else those a local server's data dir holds; never generated. */
    CodecKeys codecKeys() {
      return CodecKeys.load(codec, dataDir, false);
    }
  }

  static Settings load(List<String> settings) {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReplaySettings.class)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .registerShutdownHook(false)
        .profiles(PROFILE)
        .run(settings.toArray(String[]::new))) {
      return new Settings(context.getBean(TemporalProperties.class), context.getBean(CodecProperties.class),
          context.getBean(SaturnProperties.class).dataDir());
    }
  }
}
