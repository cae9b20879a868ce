package dev.saturn.app.durability;

import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.db.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.util.FileSystemUtils;

/**
 * How the tests launch the packaged jar: the JVM flags and the {@code -jar} part of the command.
 *
 * <p>A start of SATURN is CPU-bound, much of it loading classes through Spring Boot's nested-jar
 * class loader (docs/operations.md, "How long the tests take"). So the first launch per build
 * extracts the jar ({@code java -Djarmode=tools -jar saturn.jar extract}, Spring Boot's documented
 * layout for class data sharing) and trains a dynamic AppCDS archive with one start that exits after
 * the context refresh ({@code -Dspring.context.exit=onRefresh}); later launches run the extracted
 * jar with that archive. The extracted jar holds the same classes and resources as the packaged one
 * (the launcher class path instead of nested jars); a stale or refused archive only costs speed,
 * the JVM then loads classes as usual. When the training fails, the tests launch the packaged jar
 * itself and say why on stderr. The packaged jar as the README runs it (nested jars, embedded
 * MariaDB) is what {@code .ci/schemathesis.sh} starts.
 */
public final class JarLaunch {

  /**
   * JVM flags of every SATURN process a test starts: the client compiler only. These processes live
   * for seconds to minutes, where C2's compile work never pays back; a start of the jar measured
   * about 30 % less CPU with it (docs/operations.md, "How long the tests take"), which matters where two
   * processes and a Temporal server start at once on two cores. The flags change no behaviour.
   */
  public static final List<String> TEST_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1");

  private static final Set<Path> TRIED = new HashSet<>();

  private JarLaunch() {}

  /** {@code TEST_JVM_FLAGS}, the archive flag when there is a trained archive, and {@code -jar <jar>}. */
  public static synchronized List<String> argsFor(Path jar) {
    Path dir = jar.resolveSibling("cds");
    Path archive = dir.resolve("saturn.jsa");
    Path extracted = dir.resolve("app").resolve(jar.getFileName());
    if (!trained(jar, extracted, archive) && TRIED.add(jar)) {
      train(jar, dir, extracted, archive);
    }
    List<String> args = new ArrayList<>(TEST_JVM_FLAGS);
    if (trained(jar, extracted, archive)) {
      args.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString()));
    } else {
      args.addAll(List.of("-jar", jar.toString()));
    }
    return args;
  }

  private static void train(Path jar, Path dir, Path extracted, Path archive) {
    Path log = dir.resolve("training.log");
    try {
      FileSystemUtils.deleteRecursively(dir);
      Files.createDirectories(dir);
      String java = ProcessHandle.current().info().command().orElse("java");
      run(new ProcessBuilder(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.getParent().toString()), log);
      List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
      command.addAll(TEST_JVM_FLAGS);
      command.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
          "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar", extracted.toString()));
      ProcessBuilder training = new ProcessBuilder(command);
      dropSettings(training.environment());
      training.environment().putAll(Map.of(
          "SATURN_DB_USERNAME", "root",
          "SATURN_TEMPORAL_MODE", "embedded",
          "SATURN_TEMPORAL_PORT", Integer.toString(LocalPorts.pickFree()),
          "SATURN_DATA_DIR", dir.resolve("training-data").toString(),
          "SERVER_PORT", "0",
          "MANAGEMENT_SERVER_PORT", "0"));
      try (TestDatabase database = TestDatabase.create()) {
        training.environment().put("SATURN_DB_URL", database.jdbcUrl());
        run(training, log);
      }
      if (!Files.exists(archive)) {
        throw new IllegalStateException("the training start wrote no archive");
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("JarLaunch: no class data sharing archive (" + e.getMessage() + "; see " + log
          + "), the tests launch " + jar + " itself");
      try {
        Files.deleteIfExists(archive);
      } catch (IOException ignored) {
        // a partly written archive left behind fails the JVM's own header check and is not mapped
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(ProcessBuilder builder, Path log) throws IOException, InterruptedException {
    Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException(String.join(" ", builder.command()) + " did not finish within 5 minutes");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", builder.command()) + " exited with " + process.exitValue());
    }
  }

  /** Removes SATURN's and Spring's settings inherited from the test JVM's environment: a launch gets only what its test gives. */
  public static void dropSettings(Map<String, String> environment) {
    environment.keySet().removeIf(name -> name.startsWith("SATURN_") || name.startsWith("SPRING_"));
  }

  /** An extracted jar and an archive trained after the jar was built. */
  private static boolean trained(Path jar, Path extracted, Path archive) {
    try {
      return Files.exists(extracted) && Files.exists(archive)
          && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
