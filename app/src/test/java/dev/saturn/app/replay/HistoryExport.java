package dev.saturn.app.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A workflow's history exported the way an operator does it: {@code temporal workflow show --output json}. */
final class HistoryExport {

  private HistoryExport() {}

  /** Writes the history of {@code workflowId} (its latest run) to {@code file}. */
  static Path export(Path cli, String target, String workflowId, Path file) throws IOException, InterruptedException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path stderr = Files.createTempFile("temporal-show-", ".err");
    Process show = new ProcessBuilder(List.of(cli.toString(), "workflow", "show", "--address", target,
            "--namespace", "default", "--workflow-id", workflowId, "--output", "json"))
        .redirectOutput(file.toFile())
        .redirectError(stderr.toFile())
        .start();
    if (!show.waitFor(60, TimeUnit.SECONDS)) {
      show.destroyForcibly();
      throw new IllegalStateException("temporal workflow show did not finish for " + workflowId);
    }
    if (show.exitValue() != 0) {
      throw new IllegalStateException("temporal workflow show failed for " + workflowId + ": "
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    Files.deleteIfExists(stderr);
    return file;
  }
}
