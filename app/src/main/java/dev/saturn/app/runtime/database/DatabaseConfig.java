package dev.saturn.app.runtime.database;

import com.zaxxer.hikari.HikariDataSource;
import dev.saturn.app.runtime.SaturnProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jooq.autoconfigure.DefaultConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The DataSource: the server at {@code saturn.db.url}, or else an embedded MariaDB started first.
 *
 * <p>Flyway and jOOQ only reach the database through the DataSource, which depends on the
 * started embedded server, so they never run before it is up, and it stops after them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({DatabaseProperties.class, SaturnProperties.class})
public class DatabaseConfig {

  /**
   * Pool settings from {@code spring.datasource.hikari.*} still apply; {@code spring.datasource.url}
   * and friends do not (use {@code saturn.db.*}).
   */
  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  public HikariDataSource dataSource(DatabaseLocation databaseLocation) {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setPoolName("saturn");
    dataSource.setJdbcUrl(databaseLocation.jdbcUrl());
    dataSource.setUsername(databaseLocation.username());
    dataSource.setPassword(databaseLocation.password());
    return dataSource;
  }

  /** Overrides the dialect Boot would guess from a live connection with the one for the URL. */
  @Bean
  public DefaultConfigurationCustomizer jooqDialectCustomizer(DatabaseLocation databaseLocation) {
    return configuration -> configuration.set(databaseLocation.dialect());
  }

  @Configuration(proxyBeanMethods = false)
  @Conditional(DatabaseUrlCondition.Absent.class)
  static class Embedded {

    @Bean(destroyMethod = "close")
    EmbeddedMariaDb embeddedMariaDb(SaturnProperties saturn, DatabaseProperties database) {
      return EmbeddedMariaDb.start(saturn.dataDir(), database.embeddedPort());
    }

    @Bean
    DatabaseLocation embeddedDatabaseLocation(EmbeddedMariaDb embeddedMariaDb) {
      return new DatabaseLocation(embeddedMariaDb.jdbcUrl(), EmbeddedMariaDb.USER, "", true);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Conditional(DatabaseUrlCondition.Present.class)
  static class Configured {

    @Bean
    DatabaseLocation configuredDatabaseLocation(DatabaseProperties database) {
      return new DatabaseLocation(
          database.url(), database.username(), database.password(), false);
    }
  }
}
