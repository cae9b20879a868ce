package dev.saturn.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/** What a listener is reachable on, for tests of servers that must stay on loopback. */
public final class NetworkAddresses {

  private static final int CONNECT_TIMEOUT_MS = 2000;

  private NetworkAddresses() {}

  /** An IPv4 address of this machine other than loopback; skips the test when there is none. */
  public static InetAddress nonLoopbackOrSkip() {
    Optional<InetAddress> found = nonLoopback();
    assumeTrue(found.isPresent(), "this machine has no up, non-loopback IPv4 address");
    return found.get();
  }

  public static Optional<InetAddress> nonLoopback() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return Optional.of(address);
          }
        }
      }
      return Optional.empty();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  public static void assertAccepts(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
      assertThat(socket.isConnected()).isTrue();
    } catch (IOException e) {
      throw new AssertionError("expected a listener on " + address + ":" + port, e);
    }
  }

  /** Refused at once: nothing listens there (no firewall dropping packets in between). */
  public static void assertRefuses(InetAddress address, int port) {
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
              }
            })
        .as("connection to %s:%d", address.getHostAddress(), port)
        .isInstanceOf(ConnectException.class);
  }
}
