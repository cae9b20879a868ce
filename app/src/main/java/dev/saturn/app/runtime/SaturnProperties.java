package dev.saturn.app.runtime;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Process-wide settings bound from {@code saturn.*}; each concern has its own record under a
 * deeper prefix ({@code saturn.temporal}, {@code saturn.db}, ...).
 *
 * @param dataDir root of everything the embedded defaults persist (embedded MariaDB, the Temporal
 *     dev server's SQLite file and log); made absolute at bind time so that log lines and child
 *     processes never depend on the working directory
 */
@ConfigurationProperties("saturn")
public record SaturnProperties(@DefaultValue(SaturnProperties.DEFAULT_DATA_DIR) Path dataDir) {

  public static final String DEFAULT_DATA_DIR = "./data";

  public SaturnProperties {
    // Blank as well as null falls back: env mappings like ${SATURN_DATA_DIR:} bind "".
    if (dataDir == null || dataDir.toString().isBlank()) {
      dataDir = Path.of(DEFAULT_DATA_DIR);
    }
    dataDir = dataDir.toAbsolutePath().normalize();
  }
}
