package dev.saturn.app.runtime.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.saturn.app.runtime.TestDirectories;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jooq.autoconfigure.JooqAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class DatabaseConfigTest {

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner()
          .withUserConfiguration(DatabaseConfig.class)
          .withConfiguration(
              AutoConfigurations.of(FlywayAutoConfiguration.class, JooqAutoConfiguration.class));

  /** Stands in for the real migrations, which belong to the db module and change under us. */
  @Configuration(proxyBeanMethods = false)
  static class ProbeMigration {
    @Bean
    JavaMigration createRuntimeProbe() {
      return new V1__CreateRuntimeProbe();
    }
  }

  static class V1__CreateRuntimeProbe extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
      try (Statement statement = context.getConnection().createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS runtime_probe (id INT PRIMARY KEY)");
      }
    }
  }

  @Test
  void withoutAUrlTheEmbeddedMariaDbBacksFlywayAndJooqWhichSpeaksMariaDb() {
    contextRunner
        .withUserConfiguration(ProbeMigration.class)
        .withPropertyValues(
            // Only the probe: the data dir is shared with other tests across runs.
            "spring.flyway.locations=classpath:dev/saturn/app/runtime/database/no-sql-migrations",
            "spring.flyway.table=runtime_probe_history",
            "saturn.data-dir=" + TestDirectories.sharedDataDir(),
            // What an unset ${SATURN_DB_URL:} binds: it must mean "embedded".
            "saturn.db.url=",
            "saturn.db.embedded-port=0",
            "spring.datasource.hikari.maximum-pool-size=3")
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(EmbeddedMariaDb.class);
              HikariDataSource dataSource = context.getBean(HikariDataSource.class);
              assertThat(dataSource.getJdbcUrl())
                  .isEqualTo(context.getBean(EmbeddedMariaDb.class).jdbcUrl());
              assertThat(dataSource.getMaximumPoolSize()).isEqualTo(3);

              DSLContext dsl = context.getBean(DSLContext.class);
              assertThat(dsl.dialect()).isEqualTo(SQLDialect.MARIADB);
              assertThat(dsl.fetchValue("select database()")).isEqualTo("saturn");
              assertThat(
                      dsl.fetchValue(
                          "select count(*) from information_schema.tables"
                              + " where table_schema = 'saturn' and table_name = 'runtime_probe'"))
                  .isEqualTo(1L);
              // So that the next run on the shared data dir has to migrate again.
              dsl.execute("drop table runtime_probe, runtime_probe_history");
            });
  }

  @Test
  void aConfiguredUrlIsUsedAsIsWithTheDialectItNames() {
    contextRunner
        .withPropertyValues(
            "spring.flyway.enabled=false",
            "saturn.db.url=jdbc:mysql://127.0.0.1:1/saturn",
            "saturn.db.username=saturn",
            "saturn.db.password=secret")
        .run(
            context -> {
              assertThat(context).hasNotFailed().doesNotHaveBean(EmbeddedMariaDb.class);
              HikariDataSource dataSource = (HikariDataSource) context.getBean(DataSource.class);
              assertThat(dataSource.getJdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:1/saturn");
              assertThat(dataSource.getUsername()).isEqualTo("saturn");

              // Boot cannot ask the (unreachable) server; the dialect still follows the URL.
              assertThat(context.getBean(DSLContext.class).dialect()).isEqualTo(SQLDialect.MYSQL);
            });
  }

  @Test
  void aUrlOfAnotherDatabaseFailsAtStartupNamingTheProperty() {
    contextRunner
        .withPropertyValues("saturn.db.url=jdbc:postgresql://localhost/saturn")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("saturn.db.url"));
  }
}
