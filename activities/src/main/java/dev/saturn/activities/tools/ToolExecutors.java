package dev.saturn.activities.tools;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The tool executors by kind, as tools name them in {@code tools.kind}. */
@Component
public class ToolExecutors {

  private final Map<String, ToolExecutor> byKind;

  public ToolExecutors(List<ToolExecutor> executors) {
    Map<String, ToolExecutor> map = new TreeMap<>();
    for (ToolExecutor executor : executors) {
      ToolExecutor previous = map.put(normalize(executor.kind()), executor);
      if (previous != null) {
        throw new IllegalStateException("Two tool executors run kind '" + executor.kind() + "'");
      }
    }
    this.byKind = Collections.unmodifiableMap(map);
  }

  /** The executor of a kind, if this worker has one. */
  public Optional<ToolExecutor> find(String kind) {
    return Optional.ofNullable(kind == null ? null : byKind.get(normalize(kind)));
  }

  /**
   * The executor of a kind.
   *
   * @throws ApplicationFailure of type {@code TOOL_EXECUTION_FAILED}, not retryable: no retry
   *     teaches this worker a kind it does not know (e.g. a tool registered by a newer version)
   */
  public ToolExecutor get(String kind) {
    return find(kind).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "No executor for tool kind '" + kind + "'; this worker runs: " + String.join(", ", byKind.keySet()),
        ErrorCode.TOOL_EXECUTION_FAILED.name()));
  }

  /** The kinds this worker runs, sorted. */
  public List<String> kinds() {
    return List.copyOf(byKind.keySet());
  }

  private static String normalize(String kind) {
    return kind.strip().toLowerCase(Locale.ROOT);
  }
}
