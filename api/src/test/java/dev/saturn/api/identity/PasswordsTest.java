package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

  final Passwords passwords = new Passwords();

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
}
