package dev.saturn.activities.tracing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.tools.ToolCallResult;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.Redaction;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.function.Supplier;

/**
 * Spans of model calls ({@code chat {model}}) and tool calls ({@code execute_tool {tool}}) after the
 * OpenTelemetry GenAI semantic conventions. They carry names, models, token counts, finish reasons,
 * ids and error types, never content: prompts, answers, tool arguments and results are added, redacted,
 * only when {@code saturn.tracing.capture-content} is on.
 */
public final class GenAiSpans {

  /** The instrumentation scope of every span SATURN makes itself. */
  public static final String INSTRUMENTATION = "dev.saturn";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
  static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> TOOL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
  static final AttributeKey<String> TOOL_STATUS = AttributeKey.stringKey("saturn.tool.status");
  static final AttributeKey<Boolean> ESTIMATED = AttributeKey.booleanKey("saturn.usage.estimated");
  /** The conventions' value when no better class of error is known. */
  static final String OTHER_ERROR = "_OTHER";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Tracer tracer;
  private final boolean captureContent;

  public GenAiSpans(OpenTelemetry openTelemetry, boolean captureContent) {
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
    this.captureContent = captureContent;
  }

  /** No spans: tracing off, or a test that does not look at them. */
  public static GenAiSpans noop() {
    return new GenAiSpans(OpenTelemetry.noop(), false);
  }

  /**
   * Runs one model call inside its {@code chat} span, current while it runs (the HTTP request
   * under it is its child); what the call throws is rethrown, its error type on the span.
   */
  public ProviderReply chat(String provider, ProviderRequest request, Supplier<ProviderReply> call) {
    String model = request.model() == null || request.model().isBlank() ? null : request.model().strip();
    // Without a model in the request the provider's default answers; the name follows the reply.
    SpanBuilder builder = tracer.spanBuilder(model == null ? "chat" : "chat " + model)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(OPERATION, "chat")
        .setAttribute(PROVIDER, provider);
    if (model != null) {
      builder.setAttribute(REQUEST_MODEL, model);
    }
    if (request.temperature() != null) {
      builder.setAttribute(TEMPERATURE, request.temperature());
    }
    Span span = builder.startSpan();
    try (Scope ignored = span.makeCurrent()) {
      if (captureContent) {
        captureInput(span, request.messages());
      }
      ProviderReply reply = call.get();
      if (reply.model() != null) {
        span.setAttribute(RESPONSE_MODEL, reply.model());
        if (model == null) {
          span.updateName("chat " + reply.model());
        }
      }
      span.setAttribute(INPUT_TOKENS, reply.inputTokens());
      span.setAttribute(OUTPUT_TOKENS, reply.outputTokens());
      span.setAttribute(ESTIMATED, reply.estimated());
      span.setAttribute(FINISH_REASONS, List.of(finishReason(reply)));
      if (captureContent) {
        span.setAttribute(OUTPUT_MESSAGES, outputMessages(reply));
      }
      return reply;
    } catch (RuntimeException | Error e) {
      failed(span, errorType(e));
      throw e;
    } finally {
      span.end();
    }
  }

  /** Starts the {@code execute_tool} span of one tool call and makes it current; close it when the call is over. */
  public ToolSpan executeTool(String toolName, String callId) {
    Span span = tracer.spanBuilder("execute_tool " + toolName)
        .setSpanKind(SpanKind.INTERNAL)
        .setAttribute(OPERATION, "execute_tool")
        .setAttribute(TOOL_NAME, toolName)
        .setAttribute(TOOL_CALL_ID, callId)
        // The conventions' type for a tool run by the agent's side against an outside API.
        .setAttribute(TOOL_TYPE, "extension")
        .startSpan();
    return new ToolSpan(span, span.makeCurrent());
  }

  /** One tool call's span, current until closed; a span closed without {@link #result} failed. */
  public final class ToolSpan implements AutoCloseable {

    private final Span span;
    private final Scope scope;
    private boolean recorded;

    private ToolSpan(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    /** How the call went; returns the result for chaining. */
    public ToolCallResult result(ToolCallResult result) {
      recorded = true;
      span.setAttribute(TOOL_STATUS, result.status().label());
      if (!result.ok()) {
        failed(span, ErrorCode.TOOL_EXECUTION_FAILED.name());
      }
      return result;
    }

    /** Arguments and result as stored (already redacted of the tool's secrets); kept only when content capture is on. */
    public void content(String redactedArguments, String redactedResult) {
      if (captureContent) {
        if (redactedArguments != null) {
          span.setAttribute(TOOL_ARGUMENTS, Redaction.redactText(redactedArguments));
        }
        if (redactedResult != null) {
          span.setAttribute(TOOL_RESULT, Redaction.redactText(redactedResult));
        }
      }
    }

    @Override
    public void close() {
      if (!recorded) {
        failed(span, OTHER_ERROR);
      }
      scope.close();
      span.end();
    }
  }

  private static void failed(Span span, String errorType) {
    span.setAttribute(HttpClientSpans.ERROR_TYPE, errorType);
    span.setStatus(StatusCode.ERROR, errorType);
  }

  /** The error code a failed call reports to the workflow; an exception's message is never recorded (it may quote the prompt). */
  static String errorType(Throwable e) {
    if (e instanceof ApplicationFailure failure && failure.getType() != null) {
      return failure.getType();
    }
    return e.getClass().getName();
  }

  /** The provider's own reason when it gave one, else what the reply shows. */
  static String finishReason(ProviderReply reply) {
    if (reply.finishReason() != null) {
      return reply.finishReason();
    }
    return reply.toolCalls().isEmpty() ? "stop" : "tool_calls";
  }

  /** The conventions' JSON forms: system instructions apart, every other message with its parts. */
  private static void captureInput(Span span, List<PromptMessage> messages) {
    ArrayNode system = JSON.createArrayNode();
    ArrayNode input = JSON.createArrayNode();
    for (PromptMessage message : messages) {
      if (PromptMessage.SYSTEM.equals(message.role())) {
        system.addObject().put("type", "text").put("content", Redaction.redactText(message.content()));
        continue;
      }
      ObjectNode out = input.addObject().put("role", message.role());
      ArrayNode parts = out.putArray("parts");
      if (PromptMessage.TOOL.equals(message.role())) {
        parts.addObject().put("type", "tool_call_response").put("id", message.toolCallId())
            .put("response", Redaction.redactText(message.content()));
        continue;
      }
      if (message.content() != null && !message.content().isEmpty()) {
        parts.addObject().put("type", "text").put("content", Redaction.redactText(message.content()));
      }
      for (PromptMessage.ToolCall call : message.toolCalls()) {
        parts.addObject().put("type", "tool_call").put("id", call.id()).put("name", call.name())
            .put("arguments", Redaction.redactText(call.arguments()));
      }
    }
    if (!system.isEmpty()) {
      span.setAttribute(SYSTEM_INSTRUCTIONS, system.toString());
    }
    span.setAttribute(INPUT_MESSAGES, input.toString());
  }

  private static String outputMessages(ProviderReply reply) {
    ArrayNode output = JSON.createArrayNode();
    ObjectNode message = output.addObject().put("role", "assistant");
    ArrayNode parts = message.putArray("parts");
    if (reply.content() != null && !reply.content().isEmpty()) {
      parts.addObject().put("type", "text").put("content", Redaction.redactText(reply.content()));
    }
    for (PromptMessage.ToolCall call : reply.toolCalls()) {
      parts.addObject().put("type", "tool_call").put("id", call.id()).put("name", call.name())
          .put("arguments", Redaction.redactText(call.arguments()));
    }
    message.put("finish_reason", finishReason(reply));
    return output.toString();
  }
}
