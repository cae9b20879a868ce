package dev.saturn.app.replay;

import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.temporal.TemporalCli;
import dev.saturn.app.runtime.temporal.TemporalMode;
import dev.saturn.app.runtime.temporal.TemporalProperties;
import dev.saturn.app.runtime.temporal.TemporalServer;
import dev.saturn.app.runtime.temporal.TemporalStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Service stubs towards the Temporal server a SATURN server with the same {@code
 * saturn.temporal.*} settings talks to, for a process that must not start one: in DEV_SERVER mode
 * the dev server another SATURN process runs on {@code bind-address:port}, in EXTERNAL mode the
 * target with its TLS and API key. EMBEDDED keeps everything in the memory of the process that
 * runs it, so there is nothing to connect to.
 */
final class TemporalStubsFactory {

  private TemporalStubsFactory() {}

  /** Where the server is; fails with an explanation in EMBEDDED mode. */
  static ServerAddress address(TemporalProperties temporal) {
    TemporalMode mode = resolve(temporal);
    return switch (mode) {
      case EXTERNAL -> new ServerAddress(TemporalMode.EXTERNAL, temporal.target());
      case DEV_SERVER -> new ServerAddress(
          TemporalMode.DEV_SERVER,
          LocalPorts.hostPort(LocalPorts.reachableFromHere(temporal.bindAddress()), temporal.port()));
      case EMBEDDED -> throw new CannotReplayException(
          "saturn.temporal.mode resolves to EMBEDDED"
              + (temporal.mode() == TemporalMode.AUTO ? " (AUTO without a temporal CLI)" : "")
              + ": the embedded server keeps workflow histories in the memory of the SATURN process"
              + " that runs it, so there is no server to fetch one from. Export the history from a"
              + " durable server and use --file, or set saturn.temporal.mode=dev-server or external"
              + " (env SATURN_TEMPORAL_MODE) with the address of the server that ran the workflow.");
      case AUTO -> throw new IllegalStateException("AUTO is resolved above");
    };
  }

  /** Connected stubs: fails within {@code timeout} when nothing answers at the address. */
  static WorkflowServiceStubs connect(ServerAddress address, TemporalProperties temporal, Duration timeout) {
    WorkflowServiceStubsOptions options = TemporalStubsOptions.forServer(address, temporal);
    return WorkflowServiceStubs.newConnectedServiceStubs(options, timeout);
  }

  /** AUTO as the server resolves it: the dev server when a CLI is installed, else embedded. */
  private static TemporalMode resolve(TemporalProperties temporal) {
    if (temporal.mode() != TemporalMode.AUTO) {
      return temporal.mode();
    }
    return TemporalCli.locate(temporal.cliPath()).isPresent() ? TemporalMode.DEV_SERVER : TemporalMode.EMBEDDED;
  }

  /** A server someone else runs, as {@link TemporalStubsOptions} needs it described. */
  record ServerAddress(TemporalMode mode, String target) implements TemporalServer {

    @Override
    public Optional<URI> webUi() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }
}
