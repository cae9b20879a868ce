package dev.saturn.app.runtime.temporal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a real Temporal server find the CLI here. Without it they are skipped on a
 * developer machine, but fail where SATURN_REQUIRE_TEMPORAL_CLI is set (CI), so a broken install
 * can never turn the durability tests into silent skips.
 */
public final class RequiredTemporalCli {

  private RequiredTemporalCli() {}

  public static Path locateOrSkip() {
    return TemporalCli.locate(null).orElseGet(() -> {
      String why = "no `temporal` binary on the PATH; run .ci/install-temporal.sh and put its directory on the PATH";
      if (System.getenv("SATURN_REQUIRE_TEMPORAL_CLI") != null) {
        fail("SATURN_REQUIRE_TEMPORAL_CLI is set but " + why);
      }
      System.err.println("Skipping: " + why);
      Assumptions.abort(why);
      return null;
    });
  }
}
