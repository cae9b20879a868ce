package dev.saturn.app.durability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SATURN as a separate OS process started from the packaged jar ({@link JarLaunch}), as an operator runs it. */
public final class SaturnProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final int httpPort;
  private final Path log;

  private SaturnProcess(String name, Process process, int httpPort, Path log) {
    this.name = name;
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  public static SaturnProcess start(String name, Path jar, Path logDir, int httpPort, Map<String, String> env) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
      command.addAll(JarLaunch.argsFor(jar));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(env);
      builder.environment().put("SERVER_PORT", Integer.toString(httpPort));
      // Every process its own management port: several run side by side.
      builder.environment().putIfAbsent("MANAGEMENT_SERVER_PORT", "0");
      return new SaturnProcess(name, builder.start(), httpPort, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** Waits until {@code /ready} answers 200 (database and Temporal reachable, context started). */
  /**
   * How long a test waits for a process to be ready: about 15 s on a quiet machine, but the CI
   * machine is shared (2 cores, loads of 15-20 seen), where two minutes were not always enough.
   */
  public static final Duration STARTUP = Duration.ofMinutes(5);

  public SaturnProcess awaitReady(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<Void> ready = client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return this;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hooks, no graceful worker stop, in-flight activities simply vanish. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
