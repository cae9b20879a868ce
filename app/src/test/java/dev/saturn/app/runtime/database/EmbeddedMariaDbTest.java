package dev.saturn.app.runtime.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.app.runtime.TestDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmbeddedMariaDbTest {

  private final Path dataDir = TestDirectories.sharedDataDir();

  @Test
  void dataSurvivesAStopAndAStartOnTheSameDirectory() throws SQLException {
    String table = "persist_" + UUID.randomUUID().toString().replace("-", "");
    String marker = "written before the restart";

    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0)) {
      assertThat(db.directory()).isEqualTo(dataDir.resolve("mariadb"));
      assertThat(db.jdbcUrl()).startsWith("jdbc:mariadb://127.0.0.1:").endsWith("/saturn");
      try (Connection connection = connect(db);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE " + table + " (note VARCHAR(100) NOT NULL)");
        statement.execute("INSERT INTO " + table + " VALUES ('" + marker + "')");
      }
    }

    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0)) {
      try (Connection connection = connect(db);
          Statement statement = connection.createStatement()) {
        try (ResultSet rows = statement.executeQuery("SELECT note FROM " + table)) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo(marker);
        }
        try (ResultSet charset =
            statement.executeQuery(
                "SELECT default_character_set_name, default_collation_name"
                    + " FROM information_schema.schemata WHERE schema_name = 'saturn'")) {
          assertThat(charset.next()).isTrue();
          assertThat(charset.getString(1)).isEqualTo("utf8mb4");
          assertThat(charset.getString(2)).isEqualTo("utf8mb4_unicode_ci");
        }
        statement.execute("DROP TABLE " + table);
      }
    }
    assertThat(Files.isDirectory(dataDir.resolve("mariadb/data/saturn"))).isTrue();
  }

  @Test
  void refusesADataDirThatMariaDb4jWouldWipe() {
    Path underTmp = Path.of(System.getProperty("java.io.tmpdir"), "saturn-data");

    assertThatThrownBy(() -> EmbeddedMariaDb.start(underTmp, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("java.io.tmpdir")
        .hasMessageContaining("SATURN_DATA_DIR");
  }

  private static Connection connect(EmbeddedMariaDb db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, "");
  }
}
