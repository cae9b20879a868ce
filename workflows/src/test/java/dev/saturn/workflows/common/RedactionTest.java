package dev.saturn.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

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
  void givenKnownValues_whenRedacted_itShouldMaskThem() {
    assertThat(Redaction.redactValues("header was planted-42", List.of("planted-42"))).isEqualTo("header was [REDACTED]");
  }
}
