package dev.saturn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentedSettingsTest {

  @Test
  void givenATableWhoseFirstColumnIsEnvVar_whenParsed_itShouldKnowItsVariablesAndFamilies() {
    DocumentedSettings settings =
        DocumentedSettings.of(
            """
            | env var | property | default | meaning |
            |---|---|---|---|
            | `SATURN_DB_URL` | `saturn.db.url` | *(empty)* | `jdbc:mysql://...` |
            | `SATURN_AUTH_KEY_ROTATION_GRACE` (relaxed) | `saturn.auth.key-rotation-grace` | `24h` | x |
            | `SPRING_DATASOURCE_HIKARI_*` | `spring.datasource.hikari.*` | | pool |
            | `LOGGING_LEVEL_<LOGGER>` | `logging.level.<logger>` | | levels |
            | — | `management.endpoints.web.exposure.include` | | |

            | what | how |
            |---|---|
            | `NOT_A_SETTING_TABLE` | mentioned only |
            """);

    assertThat(settings.documents("SATURN_DB_URL")).isTrue();
    assertThat(settings.documents("SATURN_AUTH_KEY_ROTATION_GRACE")).isTrue();
    assertThat(settings.documents("SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE")).isTrue();
    assertThat(settings.documents("LOGGING_LEVEL_DEV_SATURN")).isTrue();
    assertThat(settings.documents("NOT_A_SETTING_TABLE")).isFalse();
    assertThat(settings.documents("SATURN_DB")).isFalse();
  }

  @Test
  void operationsMdDocumentsTheSettingsTheDeploymentFilesUse() {
    DocumentedSettings settings = DocumentedSettings.fromOperationsDoc();

    assertThat(settings.size()).isGreaterThan(50);
    assertThat(settings.undocumented(java.util.List.of("SATURN_ROLES", "SATURN_TEMPORAL_MODE", "MANAGEMENT_SERVER_ADDRESS")))
        .isEmpty();
    assertThat(settings.documents("SATURN_NO_SUCH_SETTING")).isFalse();
  }
}
