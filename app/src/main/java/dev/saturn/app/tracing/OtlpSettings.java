package dev.saturn.app.tracing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps OpenTelemetry's standard exporter variables onto Spring Boot's
 * {@code management.opentelemetry.tracing.export.otlp.*}, so operators configure SATURN like any
 * other OpenTelemetry SDK: {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code _TRACES_ENDPOINT}),
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL} ({@code http/protobuf}, {@code grpc}) and
 * {@code OTEL_EXPORTER_OTLP_HEADERS}. Boot reads {@code OTEL_SERVICE_NAME} and
 * {@code OTEL_RESOURCE_ATTRIBUTES} itself; {@link OpenTelemetryConfig} reads the sampler.
 *
 * <p>Without an endpoint nothing is set, Boot makes no exporter, and {@link OpenTelemetryConfig} samples
 * nothing. Boot's own properties, when an operator sets them, win: this source comes last.
 */
public class OtlpSettings implements EnvironmentPostProcessor {

  static final String SOURCE_NAME = "saturnOtlpSettings";
  static final String PREFIX = "management.opentelemetry.tracing.export.otlp.";
  static final String HTTP_PROTOBUF = "http/protobuf";
  static final String GRPC = "grpc";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> settings = settings(environment);
    if (!settings.isEmpty()) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, settings));
    }
  }

  /** Whether spans leave this process: an OTLP endpoint is configured, by a variable or Boot's own property. */
  static boolean exporting(Environment environment) {
    return hasText(environment.getProperty(PREFIX + "endpoint")) || endpoint(environment) != null;
  }

  static Map<String, Object> settings(Environment environment) {
    Map<String, Object> settings = new LinkedHashMap<>();
    String endpoint = endpoint(environment);
    if (endpoint == null) {
      return settings;
    }
    settings.put(PREFIX + "endpoint", endpoint);
    settings.put(PREFIX + "transport", protocol(environment).equals(GRPC) ? "grpc" : "http");
    headers(signalOrGeneral(environment, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"))
        .forEach((name, value) -> settings.put(PREFIX + "headers[" + name + "]", value));
    return settings;
  }

  /**
   * The traces endpoint as the OpenTelemetry specification builds it: a signal-specific one as
   * given; the general one with {@code /v1/traces} appended for HTTP, as given for gRPC.
   */
  static String endpoint(Environment environment) {
    String traces = environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (hasText(traces)) {
      return traces.strip();
    }
    String general = environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (!hasText(general)) {
      return null;
    }
    general = general.strip();
    if (protocol(environment).equals(GRPC)) {
      return general;
    }
    return (general.endsWith("/") ? general.substring(0, general.length() - 1) : general) + "/v1/traces";
  }

  static String protocol(Environment environment) {
    String protocol = signalOrGeneral(environment, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL");
    if (!hasText(protocol)) {
      return HTTP_PROTOBUF;
    }
    String value = protocol.strip().toLowerCase(Locale.ROOT);
    if (!value.equals(HTTP_PROTOBUF) && !value.equals(GRPC)) {
      throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol
          + " is not supported: use http/protobuf (the default) or grpc");
    }
    return value;
  }

  /** {@code key1=value1,key2=value2}, values URL-encoded, as the specification writes them. */
  static Map<String, String> headers(String list) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (!hasText(list)) {
      return headers;
    }
    for (String pair : list.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        headers.put(pair.substring(0, eq).strip(), URLDecoder.decode(pair.substring(eq + 1).strip(), StandardCharsets.UTF_8));
      }
    }
    return headers;
  }

  private static String signalOrGeneral(Environment environment, String signal, String general) {
    String value = environment.getProperty(signal);
    return hasText(value) ? value : environment.getProperty(general);
  }

  private static boolean hasText(String value) {
    return value != null && !value.isBlank();
  }
}
