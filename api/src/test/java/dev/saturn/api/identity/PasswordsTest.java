package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.web.ApiException;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class PasswordsTest {

  final Passwords passwords = new Passwords(2, 4, Duration.ofSeconds(10));

  @Test
  void givenHashedPassword_whenChecked_itShouldMatchOnlyTheSamePassword() {
    String hash = passwords.hash("correct horse battery");

    assertThat(hash).startsWith("$2a$10$").doesNotContain("correct");
    assertThat(passwords.matches("correct horse battery", hash)).isTrue();
    assertThat(passwords.matches("correct horse batterY", hash)).isFalse();
  }

  @Test
  void givenNoStoredHashOrOverlongPassword_whenChecked_itShouldNotMatch() {
    assertThat(passwords.matches("anything-at-all", null)).isFalse();
    String longPassword = "x".repeat(80);
    assertThat(passwords.matches(longPassword, passwords.hash("x".repeat(72)))).isFalse();
    assertThat(Passwords.problem(longPassword)).contains("72 bytes");
    assertThat(Passwords.problem("short")).contains("at least 8");
    assertThat(Passwords.problem("long enough")).isNull();
  }

  @Test
  void givenMoreChecksThanThePoolAndQueueHold_whenRunAtOnce_itShouldRefuseTheRestWith429InsteadOfQueueingThem()
      throws Exception {
    Passwords small = new Passwords(1, 1, Duration.ofSeconds(30));
    String hash = small.hash("correct horse battery");
    ExecutorService callers = Executors.newFixedThreadPool(12);
    try {
      List<CompletableFuture<Object>> checks = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        checks.add(CompletableFuture.supplyAsync(() -> {
          try {
            return small.matches("correct horse battery", hash);
          } catch (ApiException refused) {
            return refused;
          }
        }, callers));
      }
      List<Object> outcomes = checks.stream().map(CompletableFuture::join).toList();
      List<ApiException> refused = outcomes.stream()
          .filter(ApiException.class::isInstance).map(ApiException.class::cast).toList();
      // One BCrypt thread and one queue slot: most of twelve simultaneous checks cannot be admitted.
      assertThat(refused).isNotEmpty();
      assertThat(refused).allSatisfy(e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.headers().getFirst("Retry-After")).isEqualTo("1");
      });
      assertThat(outcomes).filteredOn(Boolean.TRUE::equals).isNotEmpty();
    } finally {
      callers.shutdownNow();
      small.destroy();
    }
  }
}
