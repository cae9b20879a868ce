package dev.saturn.app.runtime.temporal;

import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code temporal server start-dev} as a supervised child process: a real Temporal server
 * whose state lives in one SQLite file under the data dir.
 *
 * <p>{@link #start} returns only once the server answers for the namespace, so beans created
 * afterwards can use it at once. If the server dies on its own, it is relaunched with growing
 * delays (the SQLite file keeps every workflow); {@link #close} stops it for good.
 */
public final class TemporalDevServer implements TemporalServer {

  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);

  private static final String PORT_SETTING = "saturn.temporal.port (env SATURN_TEMPORAL_PORT)";
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration FIRST_RESTART_DELAY = Duration.ofSeconds(1);
  private static final Duration MAX_RESTART_DELAY = Duration.ofSeconds(30);
  /** A server that ran this long before dying gets a quick restart again, not the backed-off one. */
  private static final Duration STABLE_UPTIME = Duration.ofMinutes(1);
  /** SIGTERM lets the server flush SQLite and close its listeners; after this it gets SIGKILL. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final int LOG_TAIL_BYTES = 4096;

  private final Path cli;
  private final Path stateDir;
  private final InetAddress bindAddress;
  private final int port;
  private final int uiPort;
  private final String namespace;
  private final Duration startTimeout;
  private final TemporalProperties.DevServer tuning;
  private final AtomicInteger restarts = new AtomicInteger();

  private final Object lock = new Object();
  private Process process; // guarded by lock
  private Instant lastLaunchAt; // guarded by lock
  private volatile boolean stopping; // written under lock
  private Thread supervisor;

  private TemporalDevServer(
      Path cli,
      Path dataDir,
      InetAddress bindAddress,
      int port,
      int uiPort,
      String namespace,
      Duration startTimeout,
      TemporalProperties.DevServer tuning) {
    this.cli = cli;
    this.stateDir = dataDir.resolve("temporal");
    this.bindAddress = bindAddress;
    this.port = port;
    this.uiPort = uiPort;
    this.namespace = namespace;
    this.startTimeout = startTimeout;
    this.tuning = tuning;
  }

  /**
   * Launches the server and waits until it serves {@code namespace}.
   *
   * @param bindAddress where gRPC, the Web UI and the CLI's other listeners bind ({@code --ip})
   * @param tuning SQLite pragmas and dynamic config ({@code saturn.temporal.dev-server.*})
   *
   * @throws IllegalStateException if a port is taken or the server does not come up in time; the
   *     message includes the end of the server's log
   */
  public static TemporalDevServer start(
      Path cli,
      Path dataDir,
      InetAddress bindAddress,
      int port,
      int uiPort,
      String namespace,
      Duration startTimeout,
      TemporalProperties.DevServer tuning) {
    TemporalDevServer server =
        new TemporalDevServer(
            cli, dataDir, bindAddress, port, uiPort, namespace, startTimeout, tuning);
    server.startFirstTime();
    return server;
  }

  private void startFirstTime() {
    try {
      Files.createDirectories(stateDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Temporal state directory " + stateDir, e);
    }
    stopServerLeftByEarlierRun();
    LocalPorts.requireFree(bindAddress, port, "the Temporal dev server (gRPC)", PORT_SETTING);
    LocalPorts.requireFree(
        bindAddress, uiPort, "the Temporal dev server (Web UI)", "saturn.temporal.ui-port");
    if (!bindAddress.isLoopbackAddress()) {
      log.warn(
          "Temporal dev server binds {} (saturn.temporal.bind-address), not loopback: its gRPC"
              + " port and Web UI are reachable from the network WITHOUT authentication",
          bindAddress.getHostAddress());
    }

    Process first;
    try {
      first = launch();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run the Temporal CLI at " + cli, e);
    }
    Optional<String> failure = awaitReady(first);
    if (failure.isPresent()) {
      terminate(first);
      deletePidFile();
      throw new IllegalStateException(
          "Temporal dev server "
              + failure.get()
              + ". Last lines of "
              + logFile()
              + ":\n"
              + logTail());
    }
    log.info(
        "Temporal dev server ready at {} (pid {}, namespace {}), state in {}, log in {}",
        target(),
        first.pid(),
        namespace,
        databaseFile(),
        logFile());
    log.info("Temporal Web UI: {}", webUi().orElseThrow());

    supervisor = new Thread(this::superviseUntilClosed, "temporal-dev-server-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /**
   * Both off by default in the server: the first workflow task of a turn started by this process
   * comes back in the start response, and an activity scheduled by a workflow task comes back in
   * the response to its completion (each saves a trip through matching). docs/operations.md lists
   * them for an external cluster.
   */
  static final List<String> EAGER_DYNAMIC_CONFIG =
      List.of("system.enableEagerWorkflowStart=true", "system.enableActivityEagerExecution=true");

  /**
   * The flags that make a dev server SATURN's, whatever its storage: dynamic config (eager start
   * and activities, then {@code tuning}'s), SQLite pragmas and SATURN's search attributes (the
   * latter registered in a new database only; SearchAttributeSetup adds what an older one lacks).
   * Public for the benchmarks' in-memory dev server.
   */
  public static List<String> serverFlags(TemporalProperties.DevServer tuning) {
    List<String> flags = new ArrayList<>();
    EAGER_DYNAMIC_CONFIG.forEach(value -> flags.addAll(List.of("--dynamic-config-value", value)));
    tuning.dynamicConfig().forEach(value -> flags.addAll(List.of("--dynamic-config-value", value)));
    tuning.sqlitePragmas().forEach(pragma -> flags.addAll(List.of("--sqlite-pragma", pragma)));
    SaturnSearchAttributes.definitions().forEach((name, type) ->
        flags.addAll(List.of("--search-attribute", name + "=" + SearchAttributeSetup.cliType(type))));
    return flags;
  }

  /**
   * The Go runtime's GC target for the server process unless SATURN's own environment sets
   * {@code GOGC}. At Go's default (100) the server collected every ~4 s in the chat benchmark
   * (live heap ~60 MB, ~0.3 CPU-s per collection, ~9 CPU-ms per turn); at 400 the heap may grow to
   * five times the live data between collections, a quarter as many. docs/operations.md.
   */
  static final String DEFAULT_GOGC = "400";

  /**
   * {@code GOGC} for the server unless {@code environment} (inherited from SATURN's) has one.
   * Public for the benchmarks' in-memory dev server.
   */
  public static void applyGoRuntimeDefaults(Map<String, String> environment) {
    environment.putIfAbsent("GOGC", DEFAULT_GOGC);
  }

  List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(cli.toString());
    command.addAll(List.of("server", "start-dev"));
    command.addAll(List.of("--db-filename", databaseFile().toString()));
    // Also the Web UI's address (--ui-ip defaults to it); the HTTP API and metrics ports too.
    command.addAll(List.of("--ip", bindAddress.getHostAddress()));
    command.addAll(List.of("--port", Integer.toString(port)));
    command.addAll(List.of("--ui-port", Integer.toString(uiPort)));
    command.addAll(List.of("--log-level", "warn"));
    command.addAll(serverFlags(tuning));
    // "default" always exists; any other namespace must be created at launch.
    if (!TemporalProperties.DEFAULT_NAMESPACE.equals(namespace)) {
      command.addAll(List.of("--namespace", namespace));
    }
    return command;
  }

  private Process launch() throws IOException {
    synchronized (lock) {
      if (stopping) {
        throw new IllegalStateException("Temporal dev server is stopping");
      }
      // Set before starting so that a launch that throws also counts as an attempt for backoff.
      lastLaunchAt = Instant.now();
      List<String> command = command();
      appendToLog("---- " + lastLaunchAt + " SATURN runs: " + String.join(" ", command));
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(stateDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
      applyGoRuntimeDefaults(builder.environment());
      Process started = builder.start();
      started.getOutputStream().close();
      process = started;
      Files.writeString(pidFile(), started.pid() + System.lineSeparator());
      return started;
    }
  }

  /** Empty when the server answers for the namespace, else why it did not. */
  private Optional<String> awaitReady(Process candidate) {
    WorkflowServiceStubs probe =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target()).build());
    try {
      long deadline = System.nanoTime() + startTimeout.toNanos();
      while (true) {
        if (!candidate.isAlive()) {
          return Optional.of("exited with code " + candidate.exitValue() + " while starting");
        }
        if (stopping) {
          return Optional.of("start was abandoned because the server is being stopped");
        }
        if (TemporalHealth.namespaceAnswers(probe, namespace, PROBE_TIMEOUT)) {
          return Optional.empty();
        }
        if (System.nanoTime() > deadline) {
          return Optional.of(
              "did not serve namespace " + namespace + " on " + target() + " within "
                  + startTimeout);
        }
        // gRPC backs off reconnects for up to minutes; a server that just came up should be
        // noticed within one probe interval.
        probe.getRawChannel().resetConnectBackoff();
        Thread.sleep(PROBE_INTERVAL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("start was interrupted");
    } finally {
      probe.shutdownNow();
    }
  }

  private void superviseUntilClosed() {
    Duration delay = FIRST_RESTART_DELAY;
    while (!stopping) {
      Process watched;
      Instant launchedAt;
      synchronized (lock) {
        watched = process;
        launchedAt = lastLaunchAt;
      }
      int exitCode;
      try {
        exitCode = watched.waitFor();
      } catch (InterruptedException e) {
        return; // only close() interrupts us
      }
      if (stopping) {
        return;
      }
      if (Duration.between(launchedAt, Instant.now()).compareTo(STABLE_UPTIME) >= 0) {
        delay = FIRST_RESTART_DELAY;
      }
      int restart = restarts.incrementAndGet();
      log.warn(
          "Temporal dev server is down (pid {} exited with code {}); restart #{} in {} ms."
              + " Workflows are kept in {}. Last lines of {}:\n{}",
          watched.pid(),
          exitCode,
          restart,
          delay.toMillis(),
          databaseFile(),
          logFile(),
          logTail());
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      delay = shorterOf(delay.multipliedBy(2), MAX_RESTART_DELAY);
      relaunch(restart);
    }
  }

  private static Duration shorterOf(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private void relaunch(int restart) {
    Process relaunched;
    try {
      relaunched = launch();
    } catch (IOException | RuntimeException e) {
      if (!stopping) {
        log.error("Restart #{} of the Temporal dev server failed; will retry", restart, e);
      }
      return;
    }
    Optional<String> failure = awaitReady(relaunched);
    if (failure.isEmpty()) {
      log.info(
          "Temporal dev server is back at {} (pid {}) after restart #{}",
          target(),
          relaunched.pid(),
          restart);
    } else if (!stopping) {
      log.error(
          "Restarted Temporal dev server (pid {}) {}; stopping it to try again. Last lines of {}:\n{}",
          relaunched.pid(),
          failure.get(),
          logFile(),
          logTail());
      // The supervisor loop sees it exit and schedules the next attempt.
      terminate(relaunched);
    }
  }

  /**
   * A SATURN process killed without a chance to clean up leaves its dev server running, holding
   * the port and the SQLite file; the pid file lets the next start reclaim it.
   */
  private void stopServerLeftByEarlierRun() {
    Path pidFile = pidFile();
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(this::isDevServerForOurDatabase)
          .ifPresent(
              orphan -> {
                log.warn(
                    "A Temporal dev server (pid {}) left running by an earlier SATURN process still"
                        + " uses {}; stopping it",
                    pid,
                    databaseFile());
                terminate(orphan);
              });
    } catch (IOException | NumberFormatException e) {
      log.debug("Ignoring unreadable pid file {}", pidFile, e);
    }
    deletePidFile();
  }

  private boolean isDevServerForOurDatabase(ProcessHandle handle) {
    return handle
        .info()
        .commandLine()
        .map(line -> line.contains("start-dev") && line.contains(databaseFile().toString()))
        .orElse(false);
  }

  private static void terminate(Process process) {
    terminate(process.toHandle());
  }

  /** SIGTERM to the process and its children (a wrapper script may not exec), then SIGKILL. */
  private static void terminate(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return;
    }
    List<ProcessHandle> children = handle.descendants().toList();
    handle.destroy();
    children.forEach(ProcessHandle::destroy);
    boolean exited = awaitExit(handle, STOP_GRACE);
    if (!exited) {
      log.warn(
          "Temporal dev server (pid {}) ignored SIGTERM for {} s; killing it",
          handle.pid(),
          STOP_GRACE.toSeconds());
      handle.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      awaitExit(handle, Duration.ofSeconds(5));
    }
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    } catch (Exception e) {
      return !handle.isAlive();
    }
  }

  @Override
  public void close() {
    Process last;
    synchronized (lock) {
      if (stopping) {
        return;
      }
      stopping = true;
      last = process;
    }
    if (supervisor != null) {
      supervisor.interrupt();
    }
    if (last != null) {
      terminate(last);
    }
    if (supervisor != null) {
      try {
        supervisor.join(STOP_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deletePidFile();
    log.info("Temporal dev server on {} stopped", target());
  }

  private void appendToLog(String line) throws IOException {
    Files.writeString(
        logFile(),
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private String logTail() {
    try (RandomAccessFile file = new RandomAccessFile(logFile().toFile(), "r")) {
      long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
      byte[] tail = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
    }
  }

  private void deletePidFile() {
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      log.debug("Cannot delete {}", pidFile(), e);
    }
  }

  @Override
  public TemporalMode mode() {
    return TemporalMode.DEV_SERVER;
  }

  @Override
  public String target() {
    return LocalPorts.hostPort(LocalPorts.reachableFromHere(bindAddress), port);
  }

  @Override
  public Optional<URI> webUi() {
    return Optional.of(
        URI.create("http://" + LocalPorts.hostPort(LocalPorts.reachableFromHere(bindAddress), uiPort)));
  }

  /** The current server process, if one runs; for operators and tests. */
  public OptionalLong pid() {
    synchronized (lock) {
      return process != null && process.isAlive()
          ? OptionalLong.of(process.pid())
          : OptionalLong.empty();
    }
  }

  /** How often the server had to be relaunched after dying on its own. */
  public int restartCount() {
    return restarts.get();
  }

  public Path databaseFile() {
    return stateDir.resolve("temporal.db");
  }

  public Path logFile() {
    return stateDir.resolve("server.log");
  }

  private Path pidFile() {
    return stateDir.resolve("server.pid");
  }

  @Override
  public String toString() {
    return "Temporal dev server at " + target() + " (state " + databaseFile() + ")";
  }
}
