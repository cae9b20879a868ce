package dev.saturn.app.runtime.database;

import org.jooq.SQLDialect;

/**
 * The database this process uses, whether configured or embedded; the one place the DataSource
 * and the jOOQ dialect are derived from.
 */
public record DatabaseLocation(String jdbcUrl, String username, String password, boolean embedded) {

  public SQLDialect dialect() {
    return SqlDialects.forJdbcUrl(jdbcUrl);
  }

  /** Masks the password: the generated record toString would put it into logs and dumps. */
  @Override
  public String toString() {
    return "DatabaseLocation[jdbcUrl="
        + jdbcUrl
        + ", username="
        + username
        + ", password="
        + (password == null || password.isEmpty() ? "<none>" : "****")
        + ", embedded="
        + embedded
        + "]";
  }
}
