package dev.saturn.app.runtime.temporal;

import java.net.URI;
import java.util.Optional;

/**
 * The Temporal frontend this process talks to. In EMBEDDED and DEV_SERVER mode this process runs
 * it and it is up once the bean exists; in EXTERNAL mode it is only the address of someone else's.
 */
public interface TemporalServer extends AutoCloseable {

  /** The resolved mode: never {@link TemporalMode#AUTO}. */
  TemporalMode mode();

  /** {@code host:port} for gRPC clients. */
  String target();

  /** Where an operator can look at workflows, if this server has a Web UI we know of. */
  Optional<URI> webUi();

  /**
   * A channel to this server inside this JVM, if it runs here (the embedded test server): the
   * process's own stubs use it instead of {@link #target}.
   */
  default Optional<io.grpc.ManagedChannel> inProcessChannel() {
    return Optional.empty();
  }

  /** Whether workflow state survives a restart of the server. */
  default boolean isDurable() {
    return mode() != TemporalMode.EMBEDDED;
  }

  /** Stops the server if this process runs it; never throws. */
  @Override
  void close();
}
