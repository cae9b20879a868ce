package dev.saturn.app;

import dev.saturn.app.replay.ReplayCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The one process of SATURN: roles {@code api} and {@code worker}, plus the embedded defaults; or,
 * with {@code replay} as the first argument, the replay command (no web application at all).
 */
@SpringBootApplication(scanBasePackages = "dev.saturn")
@ConfigurationPropertiesScan(basePackages = "dev.saturn")
public class SaturnApplication {

  public static void main(String[] args) {
    if (args.length > 0 && ReplayCommand.NAME.equals(args[0])) {
      System.exit(ReplayCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    SpringApplication.run(SaturnApplication.class, args);
  }
}
