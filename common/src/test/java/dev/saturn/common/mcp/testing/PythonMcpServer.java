package dev.saturn.common.mcp.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real MCP server for tests: {@code mcp/tool_server.py} (see its docstring for the tools) run by
 * the official MCP Python SDK as a subprocess, over Streamable HTTP on a loopback port.
 *
 * <p>The interpreter is {@code SATURN_MCP_PYTHON}, else the venv {@code .ci/install-mcp.sh}
 * makes, else {@code python3}; without one that imports the SDK a test is skipped, unless
 * {@code SATURN_REQUIRE_MCP=1} (CI), where it fails.
 */
public final class PythonMcpServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path stateDir;

  private PythonMcpServer(Process process, int port, Path stateDir) {
    this.process = process;
    this.port = port;
    this.stateDir = stateDir;
  }

  /** Starts the server; skips the calling test when no interpreter with the SDK is found (fails under SATURN_REQUIRE_MCP=1). */
  public static PythonMcpServer start() {
    return start(null);
  }

  /** Starts it so that every message needs {@code Authorization: Bearer token} (none: any message is served). */
  public static PythonMcpServer start(String token) {
    String python = python();
    try {
      Path dir = Files.createTempDirectory("saturn-mcp-");
      Path script = dir.resolve("tool_server.py");
      try (InputStream in = PythonMcpServer.class.getResourceAsStream("/mcp/tool_server.py")) {
        Files.copy(in, script);
      }
      Path state = Files.createDirectories(dir.resolve("state"));
      int port = freePort();
      List<String> command = new ArrayList<>(List.of(python, script.toString(), "--port", String.valueOf(port),
          "--state-dir", state.toString()));
      if (token != null) {
        command.addAll(List.of("--token", token));
      }
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
      PythonMcpServer server = new PythonMcpServer(process, port, state);
      server.awaitReady(dir.resolve("server.log"));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether an interpreter with the SDK is there (for tests that decide before starting one). */
  public static boolean available() {
    return findPython() != null;
  }

  public int port() {
    return port;
  }

  /** The Streamable HTTP endpoint. */
  public String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  /** Makes the next {@code tools/list} answer the evolved tools (lookup's schema changes, retired goes). */
  public void evolve() {
    try {
      Files.writeString(stateDir.resolve("evolve"), "1");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Path log) throws IOException {
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
          Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "mcp-server-output");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    synchronized (lines) {
      while (lines.stream().noneMatch(l -> l.equals("ready " + port))) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0 || !process.isAlive()) {
          close();
          throw new IllegalStateException("the MCP test server did not start: " + String.join("\n", lines));
        }
        try {
          lines.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static String python() {
    String python = findPython();
    if (python == null) {
      String why = "no python with the MCP SDK (mcp 2.x): run .ci/install-mcp.sh or set SATURN_MCP_PYTHON";
      if ("1".equals(System.getenv("SATURN_REQUIRE_MCP"))) {
        throw new IllegalStateException(why + " (SATURN_REQUIRE_MCP=1)");
      }
      Assumptions.abort(why);
    }
    return python;
  }

  private static volatile String found;

  private static String findPython() {
    if (found != null) {
      return found;
    }
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("SATURN_MCP_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
    candidates.add(base.resolve("saturn/mcp-venv/bin/python").toString());
    candidates.add("python3");
    for (String candidate : candidates) {
      if (importsSdk(candidate)) {
        found = candidate;
        return candidate;
      }
    }
    return null;
  }

  private static boolean importsSdk(String python) {
    try {
      Process probe = new ProcessBuilder(python, "-c", "from mcp.server.mcpserver import MCPServer")
          .redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
