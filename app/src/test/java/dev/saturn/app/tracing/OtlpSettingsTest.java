package dev.saturn.app.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** OpenTelemetry's standard variables, read as the OpenTelemetry SDK reads them, onto Boot's properties. */
class OtlpSettingsTest {

  static MockEnvironment env(String... pairs) {
    MockEnvironment environment = new MockEnvironment();
    for (int i = 0; i < pairs.length; i += 2) {
      environment.setProperty(pairs[i], pairs[i + 1]);
    }
    return environment;
  }

  @Test
  void givenNoEndpoint_itShouldSetNothingAndSampleNothing() {
    MockEnvironment environment = env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_SERVICE_NAME", "saturn-api");

    assertThat(OtlpSettings.settings(environment)).isEmpty();
    assertThat(OtlpSettings.exporting(environment)).isFalse();
    assertThat(new OpenTelemetryConfig().saturnSampler(environment).getDescription()).isEqualTo(Sampler.alwaysOff().getDescription());
  }

  @Test
  void givenAGeneralEndpointOverHttp_itShouldAppendTheTracesPath() {
    assertThat(OtlpSettings.settings(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")))
        .containsEntry(OtlpSettings.PREFIX + "endpoint", "http://collector:4318/v1/traces")
        .containsEntry(OtlpSettings.PREFIX + "transport", "http");
  }

  @Test
  void givenGrpc_itShouldUseTheEndpointAsGiven() {
    assertThat(OtlpSettings.settings(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
        .containsEntry(OtlpSettings.PREFIX + "endpoint", "http://collector:4317")
        .containsEntry(OtlpSettings.PREFIX + "transport", "grpc");
  }

  @Test
  void givenATracesEndpointAndHeaders_itShouldPreferTheSignalsOwnSettings() {
    Map<String, Object> settings = OtlpSettings.settings(env(
        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/api/spans",
        "OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20abc, X-Team = saturn"));

    assertThat(settings)
        .containsEntry(OtlpSettings.PREFIX + "endpoint", "https://traces.example/api/spans")
        .containsEntry(OtlpSettings.PREFIX + "headers[Authorization]", "Bearer abc")
        .containsEntry(OtlpSettings.PREFIX + "headers[X-Team]", "saturn");
  }

  @Test
  void givenAnUnsupportedProtocol_itShouldRefuseToStart() {
    assertThatThrownBy(() -> OtlpSettings.settings(env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")))
        .hasMessageContaining("http/json").hasMessageContaining("grpc");
  }

  @Test
  void givenAnEndpoint_itShouldSampleAsOtelTracesSamplerSays() {
    MockEnvironment environment = env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318");
    OpenTelemetryConfig config = new OpenTelemetryConfig();

    assertThat(config.saturnSampler(environment).getDescription())
        .isEqualTo(Sampler.parentBased(Sampler.alwaysOn()).getDescription());
    environment.setProperty("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
    environment.setProperty("OTEL_TRACES_SAMPLER_ARG", "0.25");
    assertThat(config.saturnSampler(environment).getDescription())
        .isEqualTo(Sampler.parentBased(Sampler.traceIdRatioBased(0.25)).getDescription());
    environment.setProperty("OTEL_TRACES_SAMPLER_ARG", "2");
    assertThatThrownBy(() -> config.saturnSampler(environment)).hasMessageContaining("OTEL_TRACES_SAMPLER_ARG=2");
    environment.setProperty("OTEL_TRACES_SAMPLER", "jaeger_remote");
    assertThatThrownBy(() -> config.saturnSampler(environment)).hasMessageContaining("jaeger_remote");
  }
}
