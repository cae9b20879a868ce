package dev.saturn.db.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolSecretsTest {

  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void givenSealedValue_whenOpenedForTheSameHeader_itShouldRoundTrip() {
    ToolSecrets secrets = new ToolSecrets(KEY, "");
    String sealed = secrets.encrypt("sk-123", "company", "tool", "X-Api-Key");
    assertThat(sealed).startsWith("v1:").doesNotContain("sk-123");
    assertThat(secrets.encrypt("sk-123", "company", "tool", "X-Api-Key")).isNotEqualTo(sealed);
    assertThat(secrets.decrypt(sealed, "company", "tool", "X-Api-Key")).isEqualTo("sk-123");
  }

  @Test
  void givenSealedValue_whenOpenedForAnotherCompanyToolOrHeader_itShouldRefuse() {
    ToolSecrets secrets = new ToolSecrets(KEY, "");
    String sealed = secrets.encrypt("sk-123", "company", "tool", "X-Api-Key");
    assertThatThrownBy(() -> secrets.decrypt(sealed, "other", "tool", "X-Api-Key")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> secrets.decrypt(sealed, "company", "tool2", "X-Api-Key")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> secrets.decrypt(sealed, "company", "tool", "Authorization")).isInstanceOf(IllegalStateException.class);
    String otherKey = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    assertThatThrownBy(() -> new ToolSecrets(otherKey, "").decrypt(sealed, "company", "tool", "X-Api-Key"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void givenNoConfiguredKey_whenStarted_itShouldGenerateOneFileAndReuseIt(@TempDir Path dir) throws Exception {
    String sealed = new ToolSecrets("", dir.toString()).encrypt("v", "c", "t", "h");
    assertThat(Files.readString(dir.resolve("tool-secrets.key")).trim()).hasSize(44);
    assertThat(new ToolSecrets("", dir.toString()).decrypt(sealed, "c", "t", "h")).isEqualTo("v");
    assertThatThrownBy(() -> new ToolSecrets("c2hvcnQ=", "")).isInstanceOf(IllegalStateException.class);
  }
}
