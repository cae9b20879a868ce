package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemporalCliTest {

  @TempDir Path directory;

  @Test
  void findsAnExecutableOnTheSearchPath() throws IOException {
    Path empty = Files.createDirectory(directory.resolve("empty"));
    Path binDir = Files.createDirectory(directory.resolve("bin"));
    Path binary = executable(binDir.resolve("temporal"));

    assertThat(TemporalCli.locateOnPath(empty + File.pathSeparator + binDir)).contains(binary);
    assertThat(TemporalCli.locateOnPath(empty.toString())).isEmpty();
  }

  @Test
  void autoModeFallsBackToEmbeddedWhenTheExplicitCliIsNotExecutable() throws IOException {
    Path notExecutable = Files.createFile(directory.resolve("temporal"));

    assertThat(TemporalConnectionConfig.resolveMode(autoWithCli(notExecutable)))
        .isEqualTo(TemporalMode.EMBEDDED);
  }

  @Test
  void autoModePicksTheDevServerWhenTheCliIsThere() throws IOException {
    Path binary = executable(directory.resolve("temporal"));

    assertThat(TemporalConnectionConfig.resolveMode(autoWithCli(binary)))
        .isEqualTo(TemporalMode.DEV_SERVER);
  }

  private static TemporalProperties autoWithCli(Path cli) {
    return new TemporalProperties(
        TemporalMode.AUTO, null, null, null, null, null, cli, null, null, null, null);
  }

  private static Path executable(Path path) throws IOException {
    Files.writeString(path, "#!/bin/sh\nexit 0\n");
    assertThat(path.toFile().setExecutable(true)).isTrue();
    return path;
  }
}
