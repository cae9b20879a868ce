package dev.saturn.app.runtime.temporal;

import java.net.URI;
import java.util.Optional;

/** A server someone else runs: nothing to start or stop, only an address. */
final class ExternalTemporalServer implements TemporalServer {

  private final String target;

  ExternalTemporalServer(String target) {
    this.target = target;
  }

  @Override
  public TemporalMode mode() {
    return TemporalMode.EXTERNAL;
  }

  @Override
  public String target() {
    return target;
  }

  @Override
  public Optional<URI> webUi() {
    return Optional.empty();
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "external Temporal server at " + target;
  }
}
