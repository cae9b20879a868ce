package dev.saturn.app.tracing;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A collector's OTLP/HTTP trace endpoint ({@code POST /v1/traces}, protobuf), keeping every span it
 * is sent, decoded with the OpenTelemetry protocol's own classes.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span, flattened; ids in lower-case hex as in {@code traceparent}. */
  record ReceivedSpan(
      String service, String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
      Map<String, Object> attributes, boolean failed) {

    String attribute(String key) {
      Object value = attributes.get(key);
      return value == null ? null : value.toString();
    }

    long longAttribute(String key) {
      return ((Number) attributes.get(key)).longValue();
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/v1/traces", exchange -> {
        try (exchange) {
          receiver.requests.incrementAndGet();
          InputStream body = exchange.getRequestBody();
          if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(body);
          }
          receiver.add(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
          byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
        }
      });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int requests() {
    return requests.get();
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Waits until the spans received satisfy {@code done}; returns them either way. */
  List<ReceivedSpan> await(Predicate<List<ReceivedSpan>> done, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!done.test(spans()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    return spans();
  }

  private void add(ExportTraceServiceRequest request) {
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = resource.getResource().getAttributesList().stream()
          .filter(a -> a.getKey().equals("service.name")).map(a -> a.getValue().getStringValue()).findFirst().orElse(null);
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          Map<String, Object> attributes = new LinkedHashMap<>();
          for (KeyValue attribute : span.getAttributesList()) {
            attributes.put(attribute.getKey(), value(attribute.getValue()));
          }
          spans.add(new ReceivedSpan(service, hex(span.getTraceId()), hex(span.getSpanId()), hex(span.getParentSpanId()),
              span.getName(), span.getKind(), attributes,
              span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR));
        }
      }
    }
  }

  private static Object value(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case BOOL_VALUE -> value.getBoolValue();
      case INT_VALUE -> value.getIntValue();
      case DOUBLE_VALUE -> value.getDoubleValue();
      case ARRAY_VALUE -> {
        List<Object> values = new ArrayList<>();
        value.getArrayValue().getValuesList().forEach(v -> values.add(value(v)));
        yield values;
      }
      default -> value.toString();
    };
  }

  private static String hex(ByteString bytes) {
    return bytes.isEmpty() ? "" : HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
