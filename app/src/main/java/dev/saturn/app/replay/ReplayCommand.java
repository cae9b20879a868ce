package dev.saturn.app.replay;

import dev.saturn.app.replay.HistoryReplayer.Outcome;
import dev.saturn.app.replay.HistoryReplayer.Summary;
import dev.saturn.app.replay.HistoryReplayer.Verdict;
import dev.saturn.app.replay.ReplayArguments.UsageException;
import dev.saturn.app.replay.TemporalStubsFactory.ServerAddress;
import dev.saturn.app.runtime.temporal.TemporalProperties;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.validation.ObjectError;

/**
 * {@code java -jar saturn.jar replay ...}: fetches a workflow's history from Temporal (or reads an
 * exported one) and replays it against the workflow code in this jar. Runs without the Spring web
 * application: it starts no web server, database, Temporal server or worker.
 *
 * <p>Exit codes: {@value #OK} replayed, {@value #REPLAY_FAILED} the code cannot replay the history
 * (non-determinism or another replay failure), {@value #CANNOT_REPLAY} usage error, or the history
 * could not be fetched or read.
 */
public final class ReplayCommand {

  public static final String NAME = "replay";

  public static final int OK = 0;
  public static final int REPLAY_FAILED = 1;
  public static final int CANNOT_REPLAY = 2;

  /** How long to wait for the Temporal server to answer before giving up. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final PrintStream out;
  private final PrintStream err;
  private final Function<List<String>, TemporalProperties> settingsLoader;

  /**
   * @param settingsLoader binds {@code saturn.temporal.*} given the {@code --key=value} arguments
   */
  ReplayCommand(PrintStream out, PrintStream err, Function<List<String>, TemporalProperties> settingsLoader) {
    this.out = out;
    this.err = err;
    this.settingsLoader = settingsLoader;
  }

  /** Runs the command with the arguments after {@code replay}; returns the exit code. */
  public static int run(String... args) {
    return new ReplayCommand(System.out, System.err, ReplaySettings::load).execute(args);
  }

  int execute(String... args) {
    ReplayArguments arguments;
    try {
      arguments = ReplayArguments.parse(args);
    } catch (UsageException e) {
      err.println("replay: " + e.getMessage());
      err.println();
      err.println(ReplayArguments.USAGE);
      return CANNOT_REPLAY;
    }
    if (arguments.help()) {
      out.println(ReplayArguments.USAGE);
      return OK;
    }
    try {
      return arguments.fromFile() ? replayFile(arguments) : replayFromServer(arguments);
    } catch (CannotReplayException e) {
      err.println("replay: " + e.getMessage());
      return CANNOT_REPLAY;
    }
  }

  private int replayFile(ReplayArguments arguments) {
    // Read like the server's (logging included) though no setting is needed to reach a server.
    settings(arguments);
    WorkflowExecutionHistory history = readFile(arguments);
    try (OfflineTemporal offline = OfflineTemporal.start()) {
      return replay(history, "file " + arguments.file(), WorkflowClient.newInstance(offline.stubs()));
    }
  }

  private static WorkflowExecutionHistory readFile(ReplayArguments arguments) {
    String json;
    try {
      json = Files.readString(arguments.file());
    } catch (IOException e) {
      throw new CannotReplayException("cannot read " + arguments.file() + ": " + e);
    }
    try {
      // An export holds no workflow or run id; the label is what the report shows.
      String label = arguments.workflowId() != null ? arguments.workflowId() : "(not in the file)";
      return new WorkflowExecutionHistory(WorkflowExecutionHistory.fromJson(json).getHistory(), label);
    } catch (RuntimeException e) {
      throw new CannotReplayException(arguments.file() + " is not a workflow history in Temporal's JSON format"
          + " (as `temporal workflow show --output json` writes it): " + e.getMessage(), e);
    }
  }

  private int replayFromServer(ReplayArguments arguments) {
    TemporalProperties temporal = settings(arguments);
    ServerAddress address = TemporalStubsFactory.address(temporal);
    String where = "Temporal at " + address.target() + " (" + address.mode() + "), namespace " + temporal.namespace();
    WorkflowServiceStubs stubs;
    try {
      stubs = TemporalStubsFactory.connect(address, temporal, CONNECT_TIMEOUT);
    } catch (RuntimeException e) {
      throw new CannotReplayException("cannot reach " + where + " within " + CONNECT_TIMEOUT.toSeconds() + " s: "
          + rootMessage(e) + ". Check saturn.temporal.* (env SATURN_TEMPORAL_MODE, SATURN_TEMPORAL_TARGET, ...).", e);
    }
    try {
      WorkflowClient client = WorkflowClient.newInstance(
          stubs, WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
      WorkflowExecutionHistory history = fetch(client, arguments, where);
      return replay(history, where, client);
    } finally {
      stubs.shutdownNow();
    }
  }

  private TemporalProperties settings(ReplayArguments arguments) {
    try {
      return settingsLoader.apply(arguments.settings());
    } catch (RuntimeException e) {
      throw new CannotReplayException("invalid saturn.temporal settings: " + settingsProblem(e), e);
    }
  }

  private static WorkflowExecutionHistory fetch(WorkflowClient client, ReplayArguments arguments, String where) {
    String execution = "workflow " + arguments.workflowId() + (arguments.runId() != null ? " run " + arguments.runId() : "");
    try {
      return arguments.runId() == null
          ? client.fetchHistory(arguments.workflowId())
          : client.fetchHistory(arguments.workflowId(), arguments.runId());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new CannotReplayException("no " + execution + " on " + where
            + " (the id is wrong, or its history is past the namespace's retention)", e);
      }
      if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        throw new CannotReplayException("cannot fetch " + execution + " from " + where + ": " + e.getStatus().getDescription(), e);
      }
      throw new CannotReplayException("cannot fetch " + execution + " from " + where + ": " + e.getStatus(), e);
    }
  }

  private int replay(WorkflowExecutionHistory history, String source, WorkflowClient client) {
    Summary summary = Summary.of(history);
    out.println("source    " + source);
    out.println("workflow  " + history.getWorkflowExecution().getWorkflowId()
        + (summary.runId().isEmpty() ? "" : " run " + summary.runId()));
    out.println("type      " + summary.workflowType() + " (task queue " + summary.taskQueue() + ")");
    out.println("events    " + summary.events() + ", last " + summary.lastEvent());
    Outcome outcome = HistoryReplayer.replay(history, summary, client);
    if (outcome.verdict() == Verdict.DETERMINISTIC) {
      out.println("result    OK: the workflow code in this jar replays the history deterministically");
      return OK;
    }
    if (outcome.verdict() == Verdict.NON_DETERMINISTIC) {
      out.println("result    NON-DETERMINISTIC: the workflow code in this jar makes other commands than the"
          + " history records; deploying it would break this workflow (guard the change with Workflow.getVersion)");
    } else {
      out.println("result    FAILED: the workflow code in this jar could not replay the history");
    }
    out.println("error     " + outcome.error());
    return REPLAY_FAILED;
  }

  /** The validation messages of the settings (as in operations.md), else the root cause. */
  private static String settingsProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindValidationException invalid) {
        return invalid.getValidationErrors().getAllErrors().stream()
            .map(ObjectError::getDefaultMessage)
            .collect(Collectors.joining("; "));
      }
    }
    return rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
