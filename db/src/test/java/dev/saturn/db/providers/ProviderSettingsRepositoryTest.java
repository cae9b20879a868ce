package dev.saturn.db.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import java.time.Instant;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProviderSettingsRepositoryTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static TestDatabase database;
  static DSLContext db;
  static ProviderSettingsRepository settings;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    settings = new ProviderSettingsRepository(db);
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @Test
  void givenSettingsPutTwice_whenRead_itShouldHoldTheSecondValuesAndTheFirstCreationTime() {
    CompanyId company = Fixtures.company(db);
    settings.put(company, new ProviderSettingsRow(company.value(), "ollama", "https://a.example", "v1:sealed", "m1", T0, T0));
    settings.put(company, new ProviderSettingsRow(company.value(), "ollama", null, null, "m2", T0.plusSeconds(60),
        T0.plusSeconds(60)));

    ProviderSettingsRow row = settings.find(company, "ollama").orElseThrow();

    assertThat(row.baseUrl()).isNull();
    assertThat(row.hasApiKey()).isFalse();
    assertThat(row.defaultModel()).isEqualTo("m2");
    assertThat(row.createdAt()).isEqualTo(T0);
    assertThat(row.updatedAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void givenTwoCompanies_whenOneListsOrDeletes_itShouldNeverSeeOrTouchTheOthersSettings() {
    CompanyId mine = Fixtures.company(db);
    CompanyId theirs = Fixtures.company(db);
    settings.put(mine, new ProviderSettingsRow(mine.value(), "openai", "https://mine.example/v1", null, null, T0, T0));
    settings.put(theirs, new ProviderSettingsRow(theirs.value(), "openai", "https://theirs.example/v1", null, null, T0, T0));
    settings.put(theirs, new ProviderSettingsRow(theirs.value(), "ollama", null, null, "x", T0, T0));

    assertThat(settings.list(mine)).extracting(ProviderSettingsRow::baseUrl).containsExactly("https://mine.example/v1");
    assertThat(settings.list(theirs)).extracting(ProviderSettingsRow::provider).containsExactly("ollama", "openai");
    assertThat(settings.delete(mine, "ollama")).isFalse();
    assertThat(settings.delete(mine, "openai")).isTrue();
    assertThat(settings.find(mine, "openai")).isEmpty();
    assertThat(settings.find(theirs, "openai")).isPresent();
  }
}
