package dev.saturn.app.runtime.database;

import org.jooq.SQLDialect;

/**
 * The jOOQ dialect for a JDBC URL. It must match the server: with MYSQL against MariaDB jOOQ
 * renders {@code cast(? as json)} and MySQL-8 upserts that MariaDB rejects.
 */
public final class SqlDialects {

  private SqlDialects() {}

  public static SQLDialect forJdbcUrl(String jdbcUrl) {
    if (jdbcUrl != null) {
      if (jdbcUrl.startsWith("jdbc:mariadb:")) {
        return SQLDialect.MARIADB;
      }
      if (jdbcUrl.startsWith("jdbc:mysql:")) {
        return SQLDialect.MYSQL;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported JDBC URL "
            + jdbcUrl
            + ": SATURN runs on MariaDB (jdbc:mariadb:...) or MySQL 8 (jdbc:mysql:...)");
  }
}
