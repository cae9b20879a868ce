package dev.saturn.activities.tracing;

import dev.saturn.common.outbound.GuardedHttpClient;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.URI;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Client spans of SATURN's outbound HTTP requests (model servers, tools) after the OpenTelemetry HTTP
 * conventions, and the {@code traceparent} header that carries the trace to the server. A URL's
 * query is never recorded, and a tool's URL not at all (its path and query carry the model's
 * arguments): the tool's template stands in for it.
 */
public final class HttpClientSpans implements GuardedHttpClient.Observer {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  public HttpClientSpans(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(GenAiSpans.INSTRUMENTATION);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** Spans nowhere and sends no {@code traceparent}: tracing off, or a test that does not look. */
  public static HttpClientSpans noop() {
    return new HttpClientSpans(OpenTelemetry.noop());
  }

  /**
   * Starts the span of one request and makes it current; closing the returned request ends it.
   *
   * @param urlTemplate the template the URL was built from (a tool's), recorded instead of the URL;
   *     null to record the URL without its query
   */
  @Override
  public Request start(String method, URI url, String urlTemplate) {
    String verb = method.toUpperCase(Locale.ROOT);
    String scheme = url.getScheme() == null ? "http" : url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    SpanBuilder builder = tracer.spanBuilder(urlTemplate == null ? verb : verb + " " + templatePath(urlTemplate))
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(METHOD, verb)
        .setAttribute(SERVER_ADDRESS, String.valueOf(url.getHost()))
        .setAttribute(SERVER_PORT, (long) port);
    if (urlTemplate == null) {
      builder.setAttribute(URL_FULL, scheme + "://" + url.getHost() + ":" + port + (url.getRawPath() == null ? "" : url.getRawPath()));
    } else {
      builder.setAttribute(URL_TEMPLATE, templatePath(urlTemplate));
    }
    Span span = builder.startSpan();
    return new Request(span, span.makeCurrent());
  }

  /** The path of a URL template: {@code https://x/orders/{id}?q=1} → {@code /orders/{id}}. */
  static String templatePath(String template) {
    String rest = template;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      int slash = rest.indexOf('/', scheme + 3);
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    int query = rest.indexOf('?');
    return query < 0 ? rest : rest.substring(0, query);
  }

  /** One request's span, current until closed. */
  public final class Request implements GuardedHttpClient.Observer.Exchange {

    private final Span span;
    private final Scope scope;
    private boolean detached;

    private Request(Span span, Scope scope) {
      this.span = span;
      this.scope = scope;
    }

    /** Adds {@code traceparent} (and baggage, if any) naming this request's span as the server's parent. */
    @Override
    public void propagate(BiConsumer<String, String> header) {
      propagator.inject(Context.current(), header, (carrier, key, value) -> carrier.accept(key, value));
    }

    /** The server answered; 4xx and 5xx mark the span as failed. */
    @Override
    public void answered(int status) {
      span.setAttribute(STATUS, (long) status);
      if (status >= 400) {
        failed(Integer.toString(status));
      }
    }

    /** No usable answer: {@code errorType} is a short class of the failure (an exception's class name, a status). */
    @Override
    public void failed(String errorType) {
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR, errorType);
    }

    /**
     * Leaves the current context now, on the thread that started the request, and the span open
     * until {@link #close}, which may then run on another thread (a streamed answer's listener).
     */
    public Request detach() {
      if (!detached) {
        detached = true;
        scope.close();
      }
      return this;
    }

    @Override
    public void close() {
      detach();
      span.end();
    }
  }
}
