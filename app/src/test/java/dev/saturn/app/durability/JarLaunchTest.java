package dev.saturn.app.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which jar the tests launch, and with which archive (the training itself runs in every IT). */
class JarLaunchTest {

  @TempDir Path build;

  @Test
  void givenAnArchiveTrainedAfterTheJar_itShouldLaunchTheExtractedJarWithTheArchive() throws Exception {
    Path jar = file(build.resolve("saturn.jar"), Instant.parse("2026-12-07T10:00:00Z"));
    Path extracted = file(build.resolve("cds/app/saturn.jar"), Instant.parse("2026-12-07T10:00:05Z"));
    Path archive = file(build.resolve("cds/saturn.jsa"), Instant.parse("2026-12-07T10:00:40Z"));

    List<String> expected = new ArrayList<>(JarLaunch.TEST_JVM_FLAGS);
    expected.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString()));
    assertThat(JarLaunch.argsFor(jar)).isEqualTo(expected);
  }

  @Test
  void givenAJarRebuiltSinceItsArchive_whenTrainingFails_itShouldLaunchThePackagedJarAndDropTheStaleArchive() throws Exception {
    Path archive = file(build.resolve("cds/saturn.jsa"), Instant.parse("2026-12-07T10:00:40Z"));
    file(build.resolve("cds/app/saturn.jar"), Instant.parse("2026-12-07T10:00:05Z"));
    // Not a jar: the extraction (the training's first step) fails.
    Path jar = file(build.resolve("saturn.jar"), Instant.parse("2026-12-07T11:00:00Z"));

    List<String> expected = new ArrayList<>(JarLaunch.TEST_JVM_FLAGS);
    expected.addAll(List.of("-jar", jar.toString()));
    assertThat(JarLaunch.argsFor(jar)).isEqualTo(expected);
    assertThat(archive).doesNotExist();
    Path log = build.resolve("cds/training.log");
    assertThat(log).content().contains("saturn.jar");
    // Tried once per test JVM: the next launch does not run the failed training again.
    Files.delete(log);
    assertThat(JarLaunch.argsFor(jar)).isEqualTo(expected);
    assertThat(log).doesNotExist();
  }

  @Test
  void givenAnArchiveWithoutItsExtractedJar_itShouldTrainAgain() throws Exception {
    Path jar = file(build.resolve("saturn.jar"), Instant.parse("2026-12-07T10:00:00Z"));
    Path archive = file(build.resolve("cds/saturn.jsa"), Instant.parse("2026-12-07T10:00:40Z"));

    List<String> expected = new ArrayList<>(JarLaunch.TEST_JVM_FLAGS);
    expected.addAll(List.of("-jar", jar.toString()));
    assertThat(JarLaunch.argsFor(jar)).isEqualTo(expected);
    assertThat(build.resolve("cds/training.log")).as("the training ran (and failed: not a jar)").exists();
    assertThat(archive).doesNotExist();
  }

  private static Path file(Path path, Instant modified) throws Exception {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "not a jar: " + path.getFileName());
    Files.setLastModifiedTime(path, FileTime.from(modified));
    return path;
  }
}
