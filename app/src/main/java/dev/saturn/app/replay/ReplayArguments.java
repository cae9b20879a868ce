package dev.saturn.app.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code saturn.jar replay} was asked to do. Options take their value as the next argument
 * or after {@code =}; {@code --some.setting=value} arguments are settings (as for the server) and
 * are handed to the settings binder untouched.
 *
 * @param workflowId the execution to fetch, or a label for {@code file}
 * @param runId a run of {@code workflowId}; the latest run when null
 * @param file an exported history (JSON) to replay instead of fetching one
 * @param settings {@code --key=value} settings for Spring's binder
 */
record ReplayArguments(String workflowId, String runId, Path file, boolean help, List<String> settings) {

  static final String USAGE =
      """
      Usage: java -jar saturn.jar replay --workflow-id <id> [--run-id <id>] [--<setting>=<value> ...]
             java -jar saturn.jar replay --file <history.json> [--workflow-id <id>]

      Replays a workflow's history against the workflow code in this jar and reports whether the
      code still produces the same commands (is deterministic for that history).

        --workflow-id <id>   fetch the history of this workflow from the Temporal server that the
                             saturn.temporal.* settings name (the same settings as the server)
        --run-id <id>        a particular run (default: the latest run)
        --file <path>        replay an exported history instead (temporal workflow show --output json,
                             or the Temporal UI's download); needs no server
        --<setting>=<value>  any setting, e.g. --saturn.temporal.target=temporal:7233

      Exit codes: 0 replayed without error, 1 the code cannot replay the history (non-determinism or
      another replay failure), 2 usage error or the history could not be fetched or read.""";

  static ReplayArguments parse(String... args) {
    String workflowId = null;
    String runId = null;
    Path file = null;
    boolean help = false;
    List<String> settings = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--workflow-id" -> {
          workflowId = value(name, inline, args, i);
          i += inline == null ? 1 : 0;
        }
        case "--run-id" -> {
          runId = value(name, inline, args, i);
          i += inline == null ? 1 : 0;
        }
        case "--file" -> {
          file = Path.of(value(name, inline, args, i));
          i += inline == null ? 1 : 0;
        }
        default -> {
          if (name.startsWith("--") && name.contains(".") && inline != null) {
            settings.add(arg);
          } else {
            throw new UsageException("unknown argument '" + arg + "'");
          }
        }
      }
    }
    ReplayArguments parsed = new ReplayArguments(workflowId, runId, file, help, List.copyOf(settings));
    if (!help) {
      parsed.check();
    }
    return parsed;
  }

  private void check() {
    if (file == null && workflowId == null) {
      throw new UsageException("give --workflow-id <id> (fetch from Temporal) or --file <history.json>");
    }
    if (file != null && runId != null) {
      throw new UsageException("--run-id selects a run to fetch; an exported --file holds one run already");
    }
  }

  boolean fromFile() {
    return file != null;
  }

  private static String value(String name, String inline, String[] args, int i) {
    String value = inline != null ? inline : i + 1 < args.length ? args[i + 1] : null;
    if (value == null || value.isBlank() || (inline == null && value.startsWith("--"))) {
      throw new UsageException(name + " needs a value");
    }
    return value;
  }

  /** The command line is wrong: exit 2 with the usage text. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
