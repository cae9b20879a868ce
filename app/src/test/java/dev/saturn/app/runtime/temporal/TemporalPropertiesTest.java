package dev.saturn.app.runtime.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class TemporalPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(TemporalProperties.class)
  static class BindOnly {}

  private final ApplicationContextRunner contextRunner =
      new ApplicationContextRunner().withUserConfiguration(BindOnly.class);

  @Test
  void unsetEnvironmentMappingsFallBackToTheDefaults() {
    // What `key: ${SATURN_...:}` in application.yml binds when the variable is not set.
    contextRunner
        .withPropertyValues(
            "saturn.temporal.mode=",
            "saturn.temporal.port=",
            "saturn.temporal.ui-port=",
            "saturn.temporal.bind-address=",
            "saturn.temporal.namespace=",
            "saturn.temporal.target=",
            "saturn.temporal.cli-path=",
            "saturn.temporal.api-key=",
            "saturn.temporal.tls.ca-cert-file=")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TemporalProperties temporal = context.getBean(TemporalProperties.class);
              assertThat(temporal.mode()).isEqualTo(TemporalMode.AUTO);
              assertThat(temporal.port()).isEqualTo(7233);
              assertThat(temporal.uiPort()).isEqualTo(8233);
              assertThat(temporal.bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
              assertThat(temporal.namespace()).isEqualTo("default");
              assertThat(temporal.target()).isNull();
              assertThat(temporal.cliPath()).isNull();
              assertThat(temporal.startTimeout()).isEqualTo(Duration.ofSeconds(60));
              assertThat(temporal.useTls()).isFalse();
              assertThat(temporal.hasApiKey()).isFalse();
              assertThat(temporal.tls().caCertFile()).isNull();
            });
  }

  @Test
  void devServerTuningDefaultsWhenUnsetAndEmptyMeansNone() {
    contextRunner.run(
        context -> {
          TemporalProperties.DevServer devServer =
              context.getBean(TemporalProperties.class).devServer();
          assertThat(devServer.sqlitePragmas())
              .containsExactly("journal_mode=wal", "synchronous=normal");
          assertThat(devServer.dynamicConfig())
              .containsExactly(
                  "matching.numTaskqueueReadPartitions=1",
                  "matching.numTaskqueueWritePartitions=1",
                  "system.forceSearchAttributesCacheRefreshOnRead=false");
        });
    contextRunner
        .withPropertyValues(
            "saturn.temporal.dev-server.sqlite-pragmas=",
            "saturn.temporal.dev-server.dynamic-config=history.cacheMaxSize=1024")
        .run(
            context -> {
              TemporalProperties.DevServer devServer =
                  context.getBean(TemporalProperties.class).devServer();
              assertThat(devServer.sqlitePragmas()).isEmpty();
              assertThat(devServer.dynamicConfig()).containsExactly("history.cacheMaxSize=1024");
            });
  }

  @Test
  void devServerTuningItemsMustBeNameEqualsValue() {
    contextRunner
        .withPropertyValues("saturn.temporal.dev-server.sqlite-pragmas=journal_mode")
        .run(context -> assertThat(context).hasFailed());
    contextRunner
        .withPropertyValues("saturn.temporal.dev-server.dynamic-config==true")
        .run(context -> assertThat(context).hasFailed());
  }

  @Test
  void bindAddressBindsFromAnAddressLiteral() {
    contextRunner
        .withPropertyValues("saturn.temporal.bind-address=0.0.0.0")
        .run(
            context ->
                assertThat(context.getBean(TemporalProperties.class).bindAddress().isAnyLocalAddress())
                    .isTrue());
  }

  @Test
  void uiPortFollowsThePortAndModesBindRelaxed() {
    contextRunner
        .withPropertyValues("saturn.temporal.mode=dev-server", "saturn.temporal.port=17233")
        .run(
            context -> {
              TemporalProperties temporal = context.getBean(TemporalProperties.class);
              assertThat(temporal.mode()).isEqualTo(TemporalMode.DEV_SERVER);
              assertThat(temporal.uiPort()).isEqualTo(18233);
            });
  }

  @Test
  void anApiKeyTurnsTlsOnUnlessExplicitlyDisabledAndIsNeverPrinted() {
    contextRunner
        .withPropertyValues(
            "saturn.temporal.mode=external",
            "saturn.temporal.target=ns.acct.tmprl.cloud:7233",
            "saturn.temporal.api-key=very-secret")
        .run(
            context -> {
              TemporalProperties temporal = context.getBean(TemporalProperties.class);
              assertThat(temporal.useTls()).isTrue();
              assertThat(temporal.toString()).doesNotContain("very-secret");
            });
    contextRunner
        .withPropertyValues(
            "saturn.temporal.mode=external",
            "saturn.temporal.target=proxy:7233",
            "saturn.temporal.api-key=k",
            "saturn.temporal.tls.enabled=false")
        .run(context -> assertThat(context.getBean(TemporalProperties.class).useTls()).isFalse());
  }

  @Test
  void externalModeWithoutATargetFailsNamingTheProperty() {
    contextRunner
        .withPropertyValues("saturn.temporal.mode=external")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("saturn.temporal.target"));
  }

  @Test
  void aClientCertificateWithoutItsKeyIsRejected() {
    contextRunner
        .withPropertyValues(
            "saturn.temporal.mode=external",
            "saturn.temporal.target=temporal.internal:7233",
            "saturn.temporal.tls.enabled=true",
            "saturn.temporal.tls.client-cert-file=/etc/saturn/client.pem")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("client-key-file"));
  }
}
