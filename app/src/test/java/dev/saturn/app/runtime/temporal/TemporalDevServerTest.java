package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.NetworkAddresses;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Against the real {@code temporal} CLI: the only server here that can prove durability. */
class TemporalDevServerTest {


  private Path cli;

  @TempDir Path dataDir;

  // Per test rather than per class, so that the report counts the skipped tests.
  @BeforeEach
  void requireTheTemporalCli() {
    cli = RequiredTemporalCli.locateOrSkip();
  }

  @Test
  void runsSupervisesAndStopsTheDevServer() {
    int port = LocalPorts.pickFree();
    int uiPort = LocalPorts.pickFree();
    List<Long> serverPids = new ArrayList<>();

    devServerContext(port, uiPort)
        .withPropertyValues("saturn.temporal.namespace=saturn-test")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TemporalDevServer server = (TemporalDevServer) context.getBean(TemporalServer.class);
              TemporalHealth health = context.getBean(TemporalHealth.class);
              WorkflowClient client = context.getBean(WorkflowClient.class);

              assertThat(server.target()).isEqualTo("127.0.0.1:" + port);
              assertThat(server.webUi()).hasValueSatisfying(
                  uri -> assertThat(uri.toString()).isEqualTo("http://127.0.0.1:" + uiPort));
              assertThat(health.isReachable(Duration.ofSeconds(5))).isTrue();
              // A server on loopback: requests go uncompressed (the workflow below runs that way).
              assertThat(context.getBean(WorkflowServiceStubs.class).getOptions().getGrpcCompression())
                  .isEqualTo(GrpcCompression.NONE);
              // --ip 127.0.0.1: gRPC and the Web UI are not reachable from the network.
              NetworkAddresses.nonLoopback().ifPresent(network -> {
                NetworkAddresses.assertRefuses(network, port);
                NetworkAddresses.assertRefuses(network, uiPort);
              });
              assertThat(server.databaseFile())
                  .isEqualTo(dataDir.resolve("temporal/temporal.db"))
                  .isRegularFile();
              assertThat(server.logFile()).isRegularFile();
              // The default pragmas reached SQLite: WAL keeps a -wal file next to the database
              // (the rollback journal SQLite uses otherwise deletes its file after each commit).
              assertThat(dataDir.resolve("temporal/temporal.db-wal")).isRegularFile();
              long firstPid = server.pid().orElseThrow();
              serverPids.add(firstPid);

              WorkerFactory workers = WorkerFactory.newInstance(client);
              try {
                Worker worker = workers.newWorker(GreetingWorkflow.TASK_QUEUE);
                worker.registerWorkflowImplementationTypes(GreetingWorkflow.Impl.class);
                workers.start();

                assertThat(newGreeting(client, "greet-now").greet("dev server", false))
                    .isEqualTo("Hello, dev server");

                // Started before the crash, finished after it: only a persistent server can.
                GreetingWorkflow waiting = newGreeting(client, "greet-across-crash");
                WorkflowClient.start(waiting::greet, "survivor", true);

                killHard(firstPid);

                await("dev server restarted and serving")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                        () ->
                            server.restartCount() >= 1
                                && server.pid().isPresent()
                                && server.pid().getAsLong() != firstPid
                                && health.isReachable(Duration.ofSeconds(2)));
                long secondPid = server.pid().orElseThrow();
                serverPids.add(secondPid);
                assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

                GreetingWorkflow sameRun =
                    client.newWorkflowStub(GreetingWorkflow.class, "greet-across-crash");
                sameRun.proceed();
                String result =
                    WorkflowStub.fromTyped(sameRun).getResult(60, TimeUnit.SECONDS, String.class);
                assertThat(result).isEqualTo("Hello, survivor");
              } finally {
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
              }
            });

    assertThat(serverPids).hasSize(2);
    for (long pid : serverPids) {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
          .as("dev server process %d after the context closed", pid)
          .isEmpty();
    }
    assertThat(dataDir.resolve("temporal/server.pid")).doesNotExist();
    assertThat(Files.exists(dataDir.resolve("temporal/temporal.db"))).isTrue();
  }

  @Test
  void reclaimsAServerLeftRunningByAProcessThatDiedWithoutCleaningUp() throws Exception {
    int port = LocalPorts.pickFree();
    int uiPort = LocalPorts.pickFree();
    Path stateDir = Files.createDirectories(dataDir.resolve("temporal"));
    // What a SATURN process killed with SIGKILL leaves behind: its server and the pid file.
    Process orphan = plainDevServer(stateDir, port, uiPort, "orphan.log");
    try {
      Files.writeString(stateDir.resolve("server.pid"), Long.toString(orphan.pid()));
      await("orphan listening").atMost(Duration.ofSeconds(60)).until(() -> isListening(port));

      try (TemporalDevServer server =
          TemporalDevServer.start(cli, dataDir, InetAddress.getLoopbackAddress(), port, uiPort, "default", Duration.ofSeconds(60),
              TemporalProperties.DevServer.DEFAULTS)) {
        assertThat(orphan.isAlive()).isFalse();
        assertThat(server.pid().orElseThrow()).isNotEqualTo(orphan.pid());
      }
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void restartsAServerWhoseDatabaseLackedSaturnsSearchAttributesSoThatTheyWorkAtOnce() throws Exception {
    int port = LocalPorts.pickFree();
    // A database from before SATURN's attributes existed: created by a plain dev server, stopped.
    Process older =
        plainDevServer(Files.createDirectories(dataDir.resolve("temporal")), port, LocalPorts.pickFree(), "older.log");
    try {
      await("older server listening").atMost(Duration.ofSeconds(60)).until(() -> isListening(port));
    } finally {
      older.destroy();
      assertThat(older.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    devServerContext(port, LocalPorts.pickFree())
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TemporalDevServer server = (TemporalDevServer) context.getBean(TemporalServer.class);
              // Launched, given the attributes, launched again: its search-attribute cache
              // (system.forceSearchAttributesCacheRefreshOnRead=false) starts with them.
              assertThat(Files.readAllLines(server.logFile()))
                  .filteredOn(line -> line.contains("SATURN runs:"))
                  .hasSize(2);
              WorkflowClient client = context.getBean(WorkflowClient.class);
              WorkflowOptions tagged =
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(GreetingWorkflow.TASK_QUEUE)
                      .setWorkflowId("greet-tagged")
                      .setTypedSearchAttributes(SaturnSearchAttributes.chatTurn("c1", "a1", "s1", "t1"))
                      .setWorkflowExecutionTimeout(Duration.ofMinutes(3))
                      .build();
              assertThat(EmbeddedTemporalServerTest.greet(client, tagged, "attributes"))
                  .isEqualTo("Hello, attributes");

              // BuildIds from the start (no worker polls this queue, so no workflow task has
              // completed): the server accepts it, and a completing task will find nothing to add.
              assertThat(context.getBean(UnversionedBuildIdAtStart.class).enabled()).isTrue();
              WorkflowStub untouched = client.newUntypedWorkflowStub(
                  "GreetingWorkflow",
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("no-worker-polls-this")
                      .setWorkflowId("greet-untouched")
                      .setTypedSearchAttributes(SaturnSearchAttributes.chatTurn("c1", "a1", "s1", "t2"))
                      .build());
              untouched.start("nobody");
              assertThat(untouched.describe().getTypedSearchAttributes().get(UnversionedBuildIdAtStart.BUILD_IDS))
                  .containsExactly("unversioned");
              assertThat(untouched.describe().getTypedSearchAttributes().get(SaturnSearchAttributes.TURN_ID))
                  .isEqualTo("t2");
              untouched.terminate("test done");
            });
  }

  /** SATURN in dev-server mode on this test's data dir. */
  private ApplicationContextRunner devServerContext(int port, int uiPort) {
    return TemporalContextRunner.create()
        .withPropertyValues(
            "saturn.data-dir=" + dataDir,
            "saturn.temporal.mode=dev-server",
            "saturn.temporal.cli-path=" + cli,
            "saturn.temporal.port=" + port,
            "saturn.temporal.ui-port=" + uiPort);
  }

  /** {@code start-dev} on {@code stateDir}'s database as anyone would run it: none of SATURN's flags. */
  private Process plainDevServer(Path stateDir, int port, int uiPort, String logName) throws Exception {
    return new ProcessBuilder(
            cli.toString(), "server", "start-dev",
            "--db-filename", stateDir.resolve("temporal.db").toString(),
            "--ip", "127.0.0.1", "--port", Integer.toString(port),
            "--ui-port", Integer.toString(uiPort), "--log-level", "warn")
        .redirectErrorStream(true)
        .redirectOutput(stateDir.resolve(logName).toFile())
        .start();
  }

  private static boolean isListening(int port) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static GreetingWorkflow newGreeting(WorkflowClient client, String workflowId) {
    return client.newWorkflowStub(
        GreetingWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(GreetingWorkflow.TASK_QUEUE)
            .setWorkflowId(workflowId)
            .setWorkflowExecutionTimeout(Duration.ofMinutes(3))
            .build());
  }

  /** From outside the JVM, as the OOM killer or an operator would. */
  private static void killHard(long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }
}
