package dev.saturn.app.runtime.temporal;

import dev.saturn.app.runtime.SaturnProperties;
import dev.saturn.app.runtime.StartupException;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.context.ContextPropagator;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects this process to Temporal according to {@code saturn.temporal.mode}, starting the
 * server first when this process is meant to run it. The Temporal starter makes the stubs, the
 * client and the workers ({@link TemporalStarterSettings} gives it namespace and target); this
 * class supplies the server and finishes the starter's options through its customizers.
 *
 * <p>Bean creation order is the startup order: the stubs customizer needs the server, so the
 * server is up before the stubs exist and nothing downstream (workers, the API) ever sees a
 * half-started Temporal. On close the order reverses: workers, client and stubs go before the
 * server stops.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({TemporalProperties.class, SaturnProperties.class})
public class TemporalConnectionConfig {

  private static final Logger log = LoggerFactory.getLogger(TemporalConnectionConfig.class);

  @Bean(destroyMethod = "close")
  public TemporalServer temporalServer(TemporalProperties temporal, SaturnProperties saturn) {
    TemporalServer server = startOrName(temporal, saturn);
    if (server.mode() != TemporalMode.EXTERNAL) {
      try {
        if (SearchAttributeSetup.registerMissing(server.target(), temporal.namespace())
            && server.mode() == TemporalMode.DEV_SERVER) {
          // Its services read search attributes from a cache of up to a minute
          // (saturn.temporal.dev-server.dynamic-config): a new process knows the added ones at once.
          log.info("restarting the Temporal dev server so that it serves the added search attributes");
          server.close();
          server = startOrName(temporal, saturn);
        }
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
    }
    return server;
  }

  private static TemporalServer startOrName(TemporalProperties temporal, SaturnProperties saturn) {
    TemporalMode mode = resolveMode(temporal);
    return switch (mode) {
      case EMBEDDED -> EmbeddedTemporalServer.start(temporal.bindAddress(), temporal.port());
      case DEV_SERVER -> TemporalDevServer.start(
          requireCli(temporal),
          saturn.dataDir(),
          temporal.bindAddress(),
          temporal.port(),
          temporal.uiPort(),
          temporal.namespace(),
          temporal.startTimeout(),
          temporal.devServer());
      case EXTERNAL -> {
        log.info(
            "Temporal mode EXTERNAL: {} namespace {} (TLS {}, mTLS {}, API key {})",
            temporal.target(),
            temporal.namespace(),
            temporal.useTls() ? "on" : "off",
            temporal.useTls() && temporal.tls().isMutual() ? "on" : "off",
            temporal.hasApiKey() ? "set" : "not set");
        yield new ExternalTemporalServer(temporal.target());
      }
      case AUTO -> throw new IllegalStateException("AUTO is resolved before this point");
    };
  }

  /** AUTO prefers the durable dev server and falls back to the in-memory one. */
  static TemporalMode resolveMode(TemporalProperties temporal) {
    if (temporal.mode() != TemporalMode.AUTO) {
      return temporal.mode();
    }
    Optional<Path> cli = TemporalCli.locate(temporal.cliPath());
    if (cli.isPresent()) {
      log.info("Temporal mode AUTO: found the Temporal CLI at {}, using DEV_SERVER", cli.get());
      return TemporalMode.DEV_SERVER;
    }
    log.warn(
        "Temporal mode AUTO: no Temporal CLI {}, falling back to EMBEDDED; {}",
        temporal.cliPath() != null
            ? "executable at saturn.temporal.cli-path=" + temporal.cliPath()
            : "on the PATH",
        TemporalCli.INSTALL_HINT);
    return TemporalMode.EMBEDDED;
  }

  private static Path requireCli(TemporalProperties temporal) {
    return TemporalCli.locate(temporal.cliPath())
        .orElseThrow(
            () ->
                new StartupException(
                    "saturn.temporal.mode=DEV_SERVER needs the Temporal CLI, but "
                        + (temporal.cliPath() != null
                            ? temporal.cliPath() + " (saturn.temporal.cli-path) is not executable."
                            : "no `temporal` binary is on the PATH."),
                    "Either " + TemporalCli.INSTALL_HINT
                        + ", or use saturn.temporal.mode=embedded (env SATURN_TEMPORAL_MODE)."));
  }

  /**
   * Finishes the starter's service stubs: the address of {@link #temporalServer} and, for an
   * external server, TLS, mTLS and the API key. Taking the server as an argument is what orders
   * startup (server, then stubs, client and workers) and shutdown (the reverse).
   */
  @Bean
  public TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> saturnServiceStubs(
      TemporalServer temporalServer, TemporalProperties temporal) {
    return options -> TemporalStubsOptions.applyTo(options, temporalServer, temporal);
  }

  /**
   * The starter's client carries every {@link ContextPropagator} bean (with {@code @Order} if
   * their order matters), e.g. the tenant and request ids, into workflows and activities.
   * Interceptors ({@code WorkflowClientInterceptor}, {@code WorkerInterceptor}) and a
   * {@code DataConverter} are picked up by the starter as beans directly.
   */
  @Bean
  public TemporalOptionsCustomizer<WorkflowClientOptions.Builder> saturnClientOptions(
      ObjectProvider<ContextPropagator> contextPropagators) {
    return options -> options.setContextPropagators(contextPropagators.orderedStream().toList());
  }

  /**
   * On an external server the search attributes are the operator's to create: checked once the
   * application runs, in the background (the server may be unreachable at start), logged if missing.
   */
  @Bean
  public ApplicationListener<ApplicationReadyEvent> saturnSearchAttributeCheck(
      TemporalServer temporalServer, WorkflowServiceStubs workflowServiceStubs, TemporalProperties temporal) {
    return ready -> {
      if (temporalServer.mode() != TemporalMode.EXTERNAL) {
        return;
      }
      Thread check = new Thread(
          () -> SearchAttributeSetup.checkExternal(workflowServiceStubs.getOptions(), temporal.namespace()),
          "search-attribute-check");
      check.setDaemon(true);
      check.start();
    };
  }

  /**
   * Workflows started on the dev server SATURN runs carry {@code BuildIds} from the start: one
   * visibility write less per workflow ({@link UnversionedBuildIdAtStart}). The starter puts
   * every {@code WorkflowClientInterceptor} bean into its client.
   */
  @Bean
  public UnversionedBuildIdAtStart unversionedBuildIdAtStart(
      TemporalServer temporalServer, TemporalProperties temporal) {
    boolean enabled = temporalServer.mode() == TemporalMode.DEV_SERVER
        && SearchAttributeSetup.listsUnversionedBuildIds(temporalServer.target(), temporal.namespace());
    if (temporalServer.mode() == TemporalMode.DEV_SERVER && !enabled) {
      log.info("this Temporal dev server lists no BuildIds keyword list; workflows start without it");
    }
    return new UnversionedBuildIdAtStart(enabled);
  }

  @Bean
  public TemporalHealth temporalHealth(
      WorkflowServiceStubs workflowServiceStubs, TemporalProperties temporal) {
    return new TemporalHealth(workflowServiceStubs, temporal.namespace());
  }
}
