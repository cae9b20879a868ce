package dev.saturn.app.replay;

import dev.saturn.app.durability.DurabilityInfra;
import dev.saturn.app.durability.JarLaunch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar saturn.jar replay ...} as an operator runs it: its exit code and what it printed. */
record ReplayRun(int exitCode, String out, String err) {

  static ReplayRun of(Path work, Map<String, String> env, String... args) throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path out = Files.createTempFile(work, "replay-", ".out");
    Path err = Files.createTempFile(work, "replay-", ".err");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m"));
    command.addAll(JarLaunch.argsFor(DurabilityInfra.JAR));
    command.add("replay");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // Only what the test gives: no setting of the surrounding environment leaks into the run.
    JarLaunch.dropSettings(builder.environment());
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new IllegalStateException("replay did not finish within 120 s: " + String.join(" ", args));
    }
    return new ReplayRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
