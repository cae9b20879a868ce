package dev.saturn.app.mcp;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Python that imports the official MCP SDK's client: {@code SATURN_MCP_PYTHON}, else the venv
 * {@code .ci/install-mcp.sh} makes, else {@code python3}. Without one a test is skipped on a
 * developer machine, but fails where {@code SATURN_REQUIRE_MCP} is set (CI).
 */
final class RequiredMcpPython {

  private RequiredMcpPython() {}

  static String locateOrSkip() {
    for (String candidate : candidates()) {
      if (importsClient(candidate)) {
        return candidate;
      }
    }
    String why = "no python with the MCP SDK (pip package mcp); run .ci/install-mcp.sh and set SATURN_MCP_PYTHON";
    if (System.getenv("SATURN_REQUIRE_MCP") != null) {
      fail("SATURN_REQUIRE_MCP is set but " + why);
    }
    System.err.println("Skipping: " + why);
    Assumptions.abort(why);
    return null;
  }

  private static List<String> candidates() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("SATURN_MCP_PYTHON");
    if (configured != null && !configured.isBlank()) {
      candidates.add(configured);
    }
    String cache = System.getenv("XDG_CACHE_HOME");
    Path venv = (cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache"))
        .resolve("saturn").resolve("mcp-venv").resolve("bin").resolve("python");
    if (Files.isExecutable(venv)) {
      candidates.add(venv.toString());
    }
    candidates.add("python3");
    return candidates;
  }

  private static boolean importsClient(String python) {
    try {
      Process check = new ProcessBuilder(python, "-c",
          "from mcp import ClientSession; from mcp.client.streamable_http import streamable_http_client")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
