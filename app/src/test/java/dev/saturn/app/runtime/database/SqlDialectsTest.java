package dev.saturn.app.runtime.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jooq.SQLDialect;
import org.junit.jupiter.api.Test;

class SqlDialectsTest {

  @Test
  void mariadbUrlsGetTheMariadbDialect() {
    assertThat(SqlDialects.forJdbcUrl("jdbc:mariadb://127.0.0.1:3307/saturn"))
        .isEqualTo(SQLDialect.MARIADB);
    assertThat(SqlDialects.forJdbcUrl("jdbc:mariadb:replication://a,b/saturn?useSsl=true"))
        .isEqualTo(SQLDialect.MARIADB);
  }

  @Test
  void mysqlUrlsGetTheMysqlDialect() {
    assertThat(SqlDialects.forJdbcUrl("jdbc:mysql://db.internal:3306/saturn?sslMode=REQUIRED"))
        .isEqualTo(SQLDialect.MYSQL);
  }

  @Test
  void otherDatabasesAreRejectedWithTheSupportedOnesNamed() {
    assertThatThrownBy(() -> SqlDialects.forJdbcUrl("jdbc:postgresql://localhost/saturn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:mariadb:")
        .hasMessageContaining("jdbc:mysql:");
    assertThatThrownBy(() -> SqlDialects.forJdbcUrl(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void locationDerivesTheDialectFromItsUrl() {
    assertThat(new DatabaseLocation("jdbc:mysql://h/saturn", "u", "p", false).dialect())
        .isEqualTo(SQLDialect.MYSQL);
    assertThat(new DatabaseLocation("jdbc:mysql://h/saturn", "u", "secret", false).toString())
        .doesNotContain("secret");
  }
}
