package dev.saturn.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

class ToolArgumentsTest {

  private final ToolArguments arguments = new ToolArguments();

  private static String schema(String pattern) {
    return "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\",\"pattern\":\"" + pattern + "\"}}}";
  }

  @Test
  void givenACatastrophicPatternAndA256KiBNearMiss_whenChecked_itShouldAnswerWithinMilliseconds() {
    String schema = schema("^(a+)+$");
    String nearMiss = "{\"q\":\"" + "a".repeat(256 * 1024) + "b\"}";
    for (int i = 0; i < 3; i++) {
      arguments.problems(schema, nearMiss); // warm-up and compile
    }

    long best = Long.MAX_VALUE;
    String problems = null;
    for (int i = 0; i < 3; i++) {
      long started = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      problems = arguments.problems(schema, nearMiss);
      best = Math.min(best, (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - started) / 1_000_000);
    }

    assertThat(best).isLessThan(100);
    assertThat(problems).contains("/q").contains("does not match");
    assertThat(arguments.problems(schema, "{\"q\":\"aaaa\"}")).isNull();
  }

  @Test
  void givenPatternsToolAuthorsWrite_whenChecked_itShouldAcceptAndRefuseAsBefore() {
    assertThat(arguments.problems(schema("^[a-z0-9-]+$"), "{\"q\":\"my-repo\"}")).isNull();
    assertThat(arguments.problems(schema("^[a-z0-9-]+$"), "{\"q\":\"My Repo\"}")).contains("/q");
    assertThat(arguments.problems(schema("\\\\d{4}-\\\\d{2}-\\\\d{2}"), "{\"q\":\"on 2024-05-17\"}")).isNull();
    assertThat(arguments.problems(schema("\\\\d{4}-\\\\d{2}-\\\\d{2}"), "{\"q\":\"on 2024-5-17\"}")).contains("/q");
  }

  @Test
  void givenAStoredSchemaWithALookahead_whenChecked_itShouldTellTheModelTheToolIsBrokenInsteadOfFailing() {
    // Saved before patterns had to be RE2; the API refuses such a schema now.
    assertThat(arguments.problems(schema("^(?=.*\\\\d).+$"), "{\"q\":\"abc1\"}"))
        .contains("cannot be used").contains("lookaround");
  }
}
