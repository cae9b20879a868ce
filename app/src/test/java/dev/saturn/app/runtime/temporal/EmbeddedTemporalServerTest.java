package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.NetworkAddresses;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class EmbeddedTemporalServerTest {

  @TempDir Path dataDir;

  private ApplicationContextRunner embeddedOnPort(int port) {
    return TemporalContextRunner.create()
        .withPropertyValues(
            "saturn.data-dir=" + dataDir,
            "saturn.temporal.mode=embedded",
            "saturn.temporal.port=" + port,
            "saturn.temporal.namespace=saturn-test");
  }

  @Test
  void startsTheTestServerAndRunsAWorkflowThroughTheWiredClient() {
    int port = LocalPorts.pickFree();
    embeddedOnPort(port)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TemporalServer server = context.getBean(TemporalServer.class);
              assertThat(server.mode()).isEqualTo(TemporalMode.EMBEDDED);
              assertThat(server.isDurable()).isFalse();
              assertThat(server.target()).isEqualTo("127.0.0.1:" + port);
              assertThat(context.getBean(TemporalHealth.class).isReachable(Duration.ofSeconds(5)))
                  .isTrue();

              WorkflowClient client = context.getBean(WorkflowClient.class);
              assertThat(client.getOptions().getNamespace()).isEqualTo("saturn-test");
              // This process's stubs skip the socket.
              assertThat(context.getBean(WorkflowServiceStubs.class).getOptions().getChannel())
                  .isSameAs(server.inProcessChannel().orElseThrow());
              assertThat(context.getBean(WorkflowServiceStubs.class).getOptions().getGrpcCompression())
                  .isEqualTo(GrpcCompression.NONE);
              assertThat(greet(client, "embedded")).isEqualTo("Hello, embedded");
              // The test server knows no BuildIds: starts go out as the caller made them.
              assertThat(context.getBean(UnversionedBuildIdAtStart.class).enabled()).isFalse();

              // The port serves the same server: a client there sees what ran in-process.
              WorkflowServiceStubs overThePort = WorkflowServiceStubs.newServiceStubs(
                  WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
              try {
                WorkflowClient other = WorkflowClient.newInstance(
                    overThePort, WorkflowClientOptions.newBuilder().setNamespace("saturn-test").build());
                assertThat(other.newUntypedWorkflowStub("greet-embedded").getResult(String.class))
                    .isEqualTo("Hello, embedded");
              } finally {
                overThePort.shutdownNow();
              }
            });
  }

  @Test
  void givenDefaults_whenStarted_itShouldAcceptOnLoopbackOnlyAndRefuseTheNetworkAddress() {
    InetAddress network = NetworkAddresses.nonLoopbackOrSkip();
    int port = LocalPorts.pickFree();
    embeddedOnPort(port)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              NetworkAddresses.assertAccepts(InetAddress.getByName("127.0.0.1"), port);
              NetworkAddresses.assertRefuses(network, port);
            });
  }

  @Test
  void givenBindAddressOfAllInterfaces_whenStarted_itShouldAcceptOnTheNetworkAddressToo() {
    InetAddress network = NetworkAddresses.nonLoopbackOrSkip();
    int port = LocalPorts.pickFree();
    embeddedOnPort(port)
        .withPropertyValues("saturn.temporal.bind-address=0.0.0.0")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              NetworkAddresses.assertAccepts(network, port);
              // Clients in this process still go through loopback.
              assertThat(context.getBean(TemporalServer.class).target())
                  .isEqualTo("127.0.0.1:" + port);
              assertThat(context.getBean(TemporalHealth.class).isReachable(Duration.ofSeconds(5)))
                  .isTrue();
            });
  }

  @Test
  void aTakenPortFailsStartupNamingThePortAndTheVariable() throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
      int port = squatter.getLocalPort();
      embeddedOnPort(port)
          .run(
              context ->
                  assertThat(context)
                      .hasFailed()
                      .getFailure()
                      .rootCause()
                      .hasMessageContaining(Integer.toString(port))
                      .hasMessageContaining("SATURN_TEMPORAL_PORT"));
    }
  }

  static String greet(WorkflowClient client, String name) {
    return greet(
        client,
        WorkflowOptions.newBuilder()
            .setTaskQueue(GreetingWorkflow.TASK_QUEUE)
            .setWorkflowId("greet-" + name)
            .setWorkflowExecutionTimeout(Duration.ofSeconds(30))
            .build(),
        name);
  }

  /** Runs one {@link GreetingWorkflow} with {@code options} on a worker of its own. */
  static String greet(WorkflowClient client, WorkflowOptions options, String name) {
    WorkerFactory workers = WorkerFactory.newInstance(client);
    try {
      Worker worker = workers.newWorker(GreetingWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(GreetingWorkflow.Impl.class);
      workers.start();
      return client.newWorkflowStub(GreetingWorkflow.class, options).greet(name, false);
    } finally {
      workers.shutdownNow();
      workers.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
