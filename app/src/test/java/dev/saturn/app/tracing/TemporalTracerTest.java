package dev.saturn.app.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.app.runtime.temporal.GreetingWorkflow;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentracing.Tracer;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import io.temporal.spring.boot.autoconfigure.properties.NamespaceProperties;
import io.temporal.spring.boot.autoconfigure.template.WorkerFactoryOptionsTemplate;
import io.temporal.spring.boot.autoconfigure.template.WorkflowClientOptionsTemplate;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpenTelemetryConfig#temporalTracer}: without an exporter the Temporal starter gets no tracer
 * and so installs no tracing interceptor; with one it gets the shim over the SDK, installs both, and a
 * workflow's spans join the trace of the client that started it.
 */
class TemporalTracerTest {

  final List<SpanData> exported = new CopyOnWriteArrayList<>();
  final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(new FailureTextFilterTest.Capture(exported))).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();

  @AfterEach
  void close() {
    openTelemetry.close();
  }

  @Test
  void givenNoExporter_whenTheStarterBuildsClientAndWorkerOptions_itShouldAddNoTracingInterceptor() {
    Tracer tracer = OpenTelemetryConfig.temporalTracer(false, openTelemetry);

    assertThat(tracer).isNull();
    assertThat(clientOptions(tracer).getInterceptors()).noneMatch(OpenTracingClientInterceptor.class::isInstance);
    assertThat(workerOptions(tracer).getWorkerInterceptors()).noneMatch(OpenTracingWorkerInterceptor.class::isInstance);
  }

  @Test
  void givenAnExporter_whenAWorkflowRuns_itsSpansShouldJoinTheTraceOfTheClientThatStartedIt() {
    Tracer tracer = OpenTelemetryConfig.temporalTracer(true, openTelemetry);
    WorkflowClientOptions client = clientOptions(tracer);
    assertThat(client.getInterceptors()).hasAtLeastOneElementOfType(OpenTracingClientInterceptor.class);

    TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(client)
        .setWorkerFactoryOptions(workerOptions(tracer))
        .build());
    try {
      temporal.newWorker(GreetingWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(GreetingWorkflow.Impl.class);
      temporal.start();
      String greeting = temporal.getWorkflowClient()
          .newWorkflowStub(GreetingWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(GreetingWorkflow.TASK_QUEUE).build())
          .greet("traced", false);
      assertThat(greeting).isEqualTo("Hello, traced");
    } finally {
      temporal.close();
    }

    SpanData start = exported.stream().filter(span -> span.getName().startsWith("StartWorkflow:")).findFirst().orElseThrow();
    SpanData run = exported.stream().filter(span -> span.getName().startsWith("RunWorkflow:")).findFirst().orElseThrow();
    assertThat(run.getTraceId()).isEqualTo(start.getTraceId());
    assertThat(run.getParentSpanId()).isEqualTo(start.getSpanId());
  }

  private static WorkflowClientOptions clientOptions(Tracer tracer) {
    return new WorkflowClientOptionsTemplate("default", null, List.of(), List.of(), tracer, List.of(), List.of())
        .createWorkflowClientOptions();
  }

  private static WorkerFactoryOptions workerOptions(Tracer tracer) {
    return new WorkerFactoryOptionsTemplate(new NamespaceProperties("default", null, null, null, null), List.of(), tracer, List.of())
        .createWorkerFactoryOptions();
  }
}
