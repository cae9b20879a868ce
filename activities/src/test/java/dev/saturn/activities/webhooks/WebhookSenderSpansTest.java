package dev.saturn.activities.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.tools.ToolServer;
import dev.saturn.activities.tracing.HttpClientSpans;
import dev.saturn.common.outbound.SsrfGuard;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A webhook attempt as the tracing backend sees it: a client span naming the host, never the URL's path. */
class WebhookSenderSpansTest {

  static final String PATH_TOKEN = "T0123/B4567/secretPathToken89";

  InMemorySpanExporter exported;
  OpenTelemetrySdk otel;
  ToolServer receiver;

  @BeforeEach
  void setUp() {
    exported = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    receiver = ToolServer.start().answering(request -> ToolServer.Answer.json("{}"));
  }

  @AfterEach
  void tearDown() {
    receiver.close();
    otel.close();
  }

  @Test
  void givenAReceiverWithATokenInItsPath_whenAnAttemptIsSent_itsSpanShouldNameTheHostOnlyAndCarryTheTrace() {
    WebhookSender sender = new WebhookConfig().webhookSender(
        new SsrfGuard("127.0.0.1:" + receiver.port()), Clock.systemUTC(), new HttpClientSpans(otel));

    WebhookSender.Outcome outcome = sender.send(new WebhookSender.Message(
        URI.create("http://127.0.0.1:" + receiver.port() + "/services/" + PATH_TOKEN), "msg_1", 1_700_000_000L,
        "v1,c2lnbmF0dXJl", "{\"type\":\"turn.completed\"}".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5));

    assertThat(outcome.delivered()).isTrue();
    assertThat(exported.getFinishedSpanItems()).singleElement().satisfies(span -> {
      assertThat(span.getName()).isEqualTo("POST {webhook-endpoint}");
      assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
      assertThat(span.getAttributes().asMap().values()).noneMatch(v -> String.valueOf(v).contains("secretPathToken"));
      assertThat(receiver.received().get(0).header("traceparent")).contains(span.getTraceId());
    });
  }
}
