package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The flags of {@code temporal server start-dev}; no CLI needed. */
class TemporalDevServerFlagsTest {

  @Test
  void defaultsAddWalPragmasAndOnePartitionToEagerExecutionAndSearchAttributes() {
    String flags = String.join(" ", TemporalDevServer.serverFlags(TemporalProperties.DevServer.DEFAULTS));

    assertThat(flags)
        .contains("--dynamic-config-value system.enableEagerWorkflowStart=true")
        .contains("--dynamic-config-value system.enableActivityEagerExecution=true")
        .contains("--dynamic-config-value matching.numTaskqueueReadPartitions=1")
        .contains("--dynamic-config-value matching.numTaskqueueWritePartitions=1")
        .contains("--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal")
        .contains("--search-attribute SaturnCompanyId=Keyword");
  }

  @Test
  void emptyListsLeaveSqliteAndMatchingAtTheirDefaultsButKeepEagerExecution() {
    List<String> flags =
        TemporalDevServer.serverFlags(new TemporalProperties.DevServer(List.of(), List.of()));

    assertThat(flags).doesNotContain("--sqlite-pragma");
    assertThat(String.join(" ", flags))
        .doesNotContain("matching.")
        .contains("system.enableEagerWorkflowStart=true");
  }
}
