package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.runtime.LocalPorts;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.GrpcCompression;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** EXTERNAL mode against a plain-text server this process did not start (a local cluster). */
class ExternalTemporalPlaintextTest {

  @Test
  void connectsToTheTargetAndLeavesTheServerAlone() {
    int port = LocalPorts.pickFree();
    try (EmbeddedTemporalServer elsewhere = EmbeddedTemporalServer.start(InetAddress.getLoopbackAddress(), port)) {
      TemporalContextRunner.create()
          .withPropertyValues(
              "saturn.temporal.mode=external", "saturn.temporal.target=127.0.0.1:" + port)
          .run(
              context -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(TemporalServer.class).target())
                    .isEqualTo("127.0.0.1:" + port);
                // Someone else's server, possibly across a network: the SDK's default compression.
                assertThat(context.getBean(WorkflowServiceStubs.class).getOptions().getGrpcCompression())
                    .isEqualTo(GrpcCompression.GZIP);
                assertThat(
                        context.getBean(TemporalHealth.class).isReachable(Duration.ofSeconds(5)))
                    .isTrue();
                assertThat(
                        EmbeddedTemporalServerTest.greet(
                            context.getBean(WorkflowClient.class), "external"))
                    .isEqualTo("Hello, external");
              });
      // Closing the context must not have stopped a server it does not own.
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
      try {
        assertThat(new TemporalHealth(stubs, "default").isReachable(Duration.ofSeconds(5)))
            .isTrue();
      } finally {
        stubs.shutdownNow();
      }
    }
  }
}
