package dev.saturn.app.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs a pytest file for the tests that drive the packaged jar from Python (official clients, a browser). */
public final class Pytest {

  private Pytest() {}

  public record Run(int exitCode, String output) {}

  /** pytest -v on {@code script} in {@code work} with {@code env}; fails the test when it outlasts {@code timeout}. */
  public static Run run(String python, Path script, Path work, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Path log = work.resolve("pytest.log");
    ProcessBuilder builder = new ProcessBuilder(python, "-m", "pytest", "-v", "-p", "no:cacheprovider", script.toString())
        .directory(work.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      fail("pytest did not finish within " + timeout + "; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code python} runs {@code check} (imports, usually): null when it does, else why not.
   */
  public static String cannotRun(String python, String check) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(python, "-c", check).redirectErrorStream(true).start();
      boolean done = process.waitFor(60, TimeUnit.SECONDS);
      if (!done) {
        process.destroyForcibly();
      }
      return done && process.exitValue() == 0 ? null : python + " cannot run `" + check + "`";
    } catch (IOException e) {
      return "no " + python + " (install Python 3)";
    }
  }

  /** A missing prerequisite: the test fails where {@code requiredBy} is set (as in CI), else it is skipped. */
  public static void missing(String why, String requiredBy) {
    if (System.getenv(requiredBy) != null) {
      fail(requiredBy + " is set but " + why);
    }
    System.err.println("Skipping: " + why);
    Assumptions.abort(why);
  }
}
