package dev.saturn.app.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings every test that boots the whole application shares: a test database by URL,
 * Temporal's Java server on a free port, embedded state under target/, a known operator token.
 * Tests add what is theirs (a model stand-in, a clock, a grace period) after calling this.
 */
public final class TestApp {

  private TestApp() {}

  public static void embeddedDefaults(
      DynamicPropertyRegistry registry, Supplier<Object> jdbcUrl, String dataDirName, String adminToken) {
    registry.add("saturn.db.url", jdbcUrl);
    registry.add("saturn.db.username", () -> "root");
    registry.add("saturn.temporal.mode", () -> "embedded");
    registry.add("saturn.temporal.port", TestApp::freePort);
    registry.add("saturn.data-dir", () -> Path.of("target", dataDirName).toAbsolutePath().toString());
    registry.add("saturn.admin-token", () -> adminToken);
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
