package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        .contains("--dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false")
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
        .doesNotContain("forceSearchAttributesCacheRefreshOnRead")
        .contains("system.enableEagerWorkflowStart=true");
  }

  @Test
  void theServerGetsALessFrequentGarbageCollectorUnlessTheEnvironmentChoseOne() {
    Map<String, String> plain = new HashMap<>(Map.of("PATH", "/usr/bin"));
    TemporalDevServer.applyGoRuntimeDefaults(plain);
    assertThat(plain).containsEntry("GOGC", TemporalDevServer.DEFAULT_GOGC).containsEntry("PATH", "/usr/bin");

    Map<String, String> chosen = new HashMap<>(Map.of("GOGC", "100"));
    TemporalDevServer.applyGoRuntimeDefaults(chosen);
    assertThat(chosen).containsEntry("GOGC", "100");
  }
}
