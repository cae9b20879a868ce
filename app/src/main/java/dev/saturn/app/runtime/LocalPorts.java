package dev.saturn.app.runtime;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks for the servers this process starts itself. */
public final class LocalPorts {

  private LocalPorts() {}

  /**
   * Fails with a message an operator can act on, before a child server fails with a cryptic bind
   * error buried in its own log (or, for MariaDB, after a 30 s wait).
   *
   * @param bindAddress the address the server will bind, {@code null} for all interfaces
   * @param setting how to change the port, e.g. "saturn.temporal.port (env SATURN_TEMPORAL_PORT)"
   */
  public static void requireFree(InetAddress bindAddress, int port, String what, String setting) {
    try (ServerSocket socket = new ServerSocket()) {
      // Without SO_REUSEADDR a socket in TIME_WAIT from our own previous run would count as busy.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(bindAddress, port));
    } catch (IOException e) {
      throw new PortInUseException(
          "Port " + port + " needed by " + what + " is already in use (" + e.getMessage() + ").",
          "Stop whatever listens there or choose another port with " + setting + ".");
    }
  }

  /** A port that was free a moment ago; good enough for tests and for picking a default. */
  public static int pickFree() {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("No free local port", e);
    }
  }

  /**
   * Where a client in this process reaches a server bound to {@code bindAddress}: the address
   * itself, or loopback for a server on every interface.
   */
  public static InetAddress reachableFromHere(InetAddress bindAddress) {
    return bindAddress.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bindAddress;
  }

  /** {@code host:port} for gRPC targets and logs, with IPv6 literals in brackets. */
  public static String hostPort(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }

  /** The configured port of an embedded server is taken. */
  public static final class PortInUseException extends StartupException {
    // No cause: the BindException would become the root cause that Spring reports last, and
    // its "Address already in use" names neither the port nor how to change it.
    PortInUseException(String description, String action) {
      super(description, action);
    }
  }
}
