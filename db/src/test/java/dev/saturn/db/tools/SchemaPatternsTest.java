package dev.saturn.db.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Schema;
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SchemaPatternsTest {

  private static final String CATASTROPHIC = "^(a+)+$";
  /** 256 KiB of "a" and a "b": Java's engine tries every way to split the run before giving up. */
  private static final String LONG_NEAR_MISS = "a".repeat(256 * 1024) + "b";

  @Test
  void givenPatternsToolAuthorsWrite_whenCompiled_itShouldMatchAsEcmaScriptWould() {
    assertThat(finds("^[a-z0-9-]+$", "my-repo-42")).isTrue();
    assertThat(finds("^[a-z0-9-]+$", "My repo")).isFalse();
    assertThat(finds("\\d{4}-\\d{2}-\\d{2}", "due 2024-05-17!")).isTrue();
    assertThat(finds("^\\d{4}-\\d{2}-\\d{2}$", "2024-5-17")).isFalse();
    assertThat(finds("^[\\w.+-]+@[\\w-]+\\.[\\w.]+$", "a.b+c@example.co.uk")).isTrue();
    assertThat(finds("^(?<user>[a-z]+)\\/(?<repo>[a-z]+)$", "octo/cat")).isTrue();
    assertThat(finds("^caf\\u00e9$", "café")).isTrue();
    assertThat(finds("^\\u{1F600}$", "😀")).isTrue();
    assertThat(finds("^\\p{Letter}+$", "Ærøskøbing")).isTrue();
    assertThat(finds("^a\\cJb$", "a\nb")).isTrue();
    assertThat(finds("^abc$", "abc\n")).as("$ is the end of the input, as in ECMA-262").isFalse();
    assertThat(finds("b", "abc")).as("unanchored patterns match anywhere").isTrue();
  }

  @Test
  void givenACatastrophicPattern_whenMatchedAgainst256KiB_itShouldAnswerWithinMilliseconds() {
    assertThat(millis(() -> finds(CATASTROPHIC, LONG_NEAR_MISS))).isLessThan(100);
    assertThat(finds(CATASTROPHIC, LONG_NEAR_MISS)).isFalse();
    assertThat(finds(CATASTROPHIC, "aaaa")).isTrue();
  }

  @Test
  void givenPatternsRe2CannotRun_whenCompiled_itShouldSaySoForTheAuthor() {
    assertThatThrownBy(() -> SchemaPatterns.compile("^(?=.*\\d).+$"))
        .isInstanceOf(SchemaPatterns.InvalidPattern.class).hasMessageContaining("lookaround");
    assertThatThrownBy(() -> SchemaPatterns.compile("(a)\\1")).isInstanceOf(SchemaPatterns.InvalidPattern.class);
    assertThatThrownBy(() -> SchemaPatterns.compile("[a-")).isInstanceOf(SchemaPatterns.InvalidPattern.class);
  }

  @Test
  void givenNestedCountedRepetitions_whenCompiled_itShouldRefuseTheHugeOnesBeforeBuildingThem() {
    assertThatThrownBy(() -> SchemaPatterns.compile("((a{100}){100}){100}"))
        .isInstanceOf(SchemaPatterns.InvalidPattern.class).hasMessageContaining("too large");
    assertThatThrownBy(() -> SchemaPatterns.compile("[a-z]{600}[0-9]{600}")).isInstanceOf(SchemaPatterns.InvalidPattern.class);
    assertThat(SchemaPatterns.size("^[a-z]{1,64}$")).isBetween(64L, 80L);
    assertThat(SchemaPatterns.size("(ab|cd){3}")).isBetween(12L, 25L);
    assertThat(SchemaPatterns.size("a{2,}")).isBetween(3L, 6L);
    assertThat(SchemaPatterns.size("x{not a count}")).isEqualTo(14);
    assertThat(finds("^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,255}$", "me@example.org")).isTrue();
  }

  @Test
  void givenASchemaWithPatterns_whenValidatedByTheToolRegistry_itShouldUseTheLinearEngine() {
    JsonMapper json = JsonMapper.builder().build();
    Schema schema = ToolSchemas.registry().getSchema(json.readTree(
        "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\",\"pattern\":\"" + CATASTROPHIC + "\"}},"
            + "\"patternProperties\":{\"^(x+)+$\":{\"type\":\"integer\"}}}"));
    var arguments = json.createObjectNode().put("q", LONG_NEAR_MISS).put("x".repeat(100_000) + "!", "not checked");

    assertThat(millis(() -> !schema.validate(arguments).isEmpty())).isLessThan(100);
    assertThat(schema.validate(arguments)).hasSize(1);
    assertThat(schema.validate(json.createObjectNode().put("q", "aaa").put("xx", "not an integer"))).hasSize(1);
  }

  private static boolean finds(String pattern, String input) {
    return SchemaPatterns.compile(pattern).matcher(input).find();
  }

  /** Best of three in this thread's CPU time, after warming up: a busy machine should not fail a linear algorithm. */
  private static long millis(BooleanSupplier work) {
    for (int i = 0; i < 3; i++) {
      work.getAsBoolean();
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long started = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      work.getAsBoolean();
      best = Math.min(best, (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - started) / 1_000_000);
    }
    return best;
  }
}
