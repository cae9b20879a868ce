package dev.saturn.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RedactionTest {

  /** The size of the largest tool body redaction sees. */
  private static final int LARGE = 256 * 1024;

  @Test
  void givenFieldNames_whenChecked_itShouldFlagSecretsButNotTokenSettings() {
    assertThat(List.of("password", "api_key", "X-Api-Key", "accessToken", "Authorization", "client_secret", "Cookie"))
        .allMatch(Redaction::isSecretKey);
    assertThat(List.of("max_tokens", "history_token_budget", "city", "keyword", "name")).noneMatch(Redaction::isSecretKey);
  }

  @Test
  void givenTextWithCredentials_whenRedacted_itShouldMaskEachAndKeepTheRest() {
    String text = "call failed: Authorization: Bearer abc.def-123456 key=sk-proj1234567890 "
        + "{\"password\":\"hunter22\",\"city\":\"Oslo\"} token=s3cr3tvalue jwt eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.sig";

    String out = Redaction.redactText(text);

    assertThat(out).doesNotContain("abc.def-123456", "sk-proj1234567890", "hunter22", "s3cr3tvalue", "eyJhbGciOiJIUzI1")
        .contains("Oslo", "call failed", Redaction.REDACTED);
  }

  @Test
  void givenAssignmentsInsideLongerNames_whenRedacted_itShouldKeepTheNameAndMaskTheValue() {
    assertThat(Redaction.redactText("db_password = hunter22, my-api-key:\"k-12345\" x=1"))
        .isEqualTo("db_password = [REDACTED], my-api-key:\"[REDACTED]\" x=1");
  }

  @Test
  void givenKnownValues_whenRedacted_itShouldMaskThem() {
    assertThat(Redaction.redactValues("header was planted-42", List.of("planted-42"))).isEqualTo("header was [REDACTED]");
  }

  @Test
  void givenTokensAfterDashesAndDots_whenMasked_itShouldMaskWhatTheJwtRegexMatched() {
    // The JWT scanner replaces a regex that was quadratic on "eyJ-eyJ-..."; it must mask the same spans
    // (on ASCII: a non-ASCII letter before "eyJ" was no word start for the regex, for the scanner it is).
    Pattern jwt = Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]+");
    String[] pieces = {"eyJ", "-", ".", "a", "B7", "_", " ", "xx", "eyJhbGciOi", "12345678"};
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = random.nextInt(12); n >= 0; n--) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      String input = text.toString();
      assertThat(Redaction.maskJwts(input)).as("input %s", input)
          .isEqualTo(jwt.matcher(input).replaceAll(Redaction.REDACTED));
    }
    assertThat(Redaction.maskJwts("éeyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.sig")).isEqualTo("é" + Redaction.REDACTED);
  }

  @Test
  void givenAdversarialTextOf256KiB_whenRedacted_itShouldTakeLinearTimeAndStillMaskTheSecretAtItsEnd() {
    String secrets = " password=hunter22 Authorization: Bearer abc.def-123456 eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.sig";
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("a run of letters", "a".repeat(LARGE));
    inputs.put("password repeated", "password".repeat(LARGE / 8));
    inputs.put("letters then =", "a".repeat(LARGE) + "=");
    inputs.put("a key word then spaces", "password" + " ".repeat(LARGE) + "x");
    inputs.put("assignments without values", "token=,".repeat(LARGE / 7));
    inputs.put("Bearer and a long token", "Bearer " + "a".repeat(LARGE));
    inputs.put("Bearer repeated", "Bearer ".repeat(LARGE / 7));
    inputs.put("JSON of letters", "{\"data\":\"" + "ab".repeat(LARGE / 2) + "\"}");
    inputs.put("JSON key words", "{\"api_key\"".repeat(LARGE / 10));
    inputs.put("JWT starts after dashes", "eyJ-".repeat(LARGE / 4));
    inputs.put("JWT headers without payloads", "eyJabcdefghij.x".repeat(LARGE / 15));
    inputs.put("prefixes too short", "sk-1 ghp_12 xoxb-1 AKIA1 sat_1 ".repeat(LARGE / 31));

    for (int i = 0; i < 5; i++) {
      inputs.values().forEach(Redaction::redactText); // warm-up: the JIT, not the algorithm, is slow at first
    }
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      String text = input.getValue() + secrets;
      long millis = Long.MAX_VALUE;
      String out = null;
      for (int run = 0; run < 3; run++) { // best of three in this thread's CPU time: a busy machine should not fail a linear algorithm
        long started = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        out = Redaction.redactText(text);
        millis = Math.min(millis, (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - started) / 1_000_000);
      }

      assertThat(millis).as("%s took %d ms", input.getKey(), millis).isLessThan(100);
      assertThat(out).as(input.getKey()).doesNotContain("hunter22", "abc.def-123456", "eyJzdWIiOiIxMjM0");
    }
  }
}
