package dev.saturn.activities.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import dev.saturn.activities.tracing.HttpClientSpans;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * langchain4j's HTTP client with a client span per request and {@code traceparent} sent to the model
 * server, so a model server that traces joins the turn's trace. Wraps whichever client the provider
 * builds (the JDK one), for plain and streamed (server-sent events) answers alike.
 */
final class TracedHttpClient implements HttpClient {

  private final HttpClient delegate;
  private final HttpClientSpans spans;

  private TracedHttpClient(HttpClient delegate, HttpClientSpans spans) {
    this.delegate = delegate;
    this.spans = spans;
  }

  /** A builder that builds {@code delegate}'s client, traced. */
  static HttpClientBuilder builder(HttpClientBuilder delegate, HttpClientSpans spans) {
    return new Builder(delegate, spans);
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    try (HttpClientSpans.Request span = spans.start(request.method().name(), URI.create(request.url()), null)) {
      try {
        SuccessfulHttpResponse response = delegate.execute(withTraceHeaders(request, span));
        span.answered(response.statusCode());
        return response;
      } catch (HttpException e) {
        span.answered(e.statusCode());
        throw e;
      } catch (RuntimeException e) {
        span.failed(e.getClass().getName());
        throw e;
      }
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    HttpClientSpans.Request span = spans.start(request.method().name(), URI.create(request.url()), null);
    HttpRequest traced = withTraceHeaders(request, span);
    // The answer streams in on the client's threads, where the listener ends the span.
    span.detach();
    try {
      delegate.execute(traced, parser, new EndingListener(listener, span));
    } catch (RuntimeException e) {
      span.failed(e.getClass().getName());
      span.close();
      throw e;
    }
  }

  private static HttpRequest withTraceHeaders(HttpRequest request, HttpClientSpans.Request span) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
    span.propagate((name, value) -> headers.put(name, List.of(value)));
    HttpRequest.Builder copy = HttpRequest.builder()
        .method(request.method())
        .url(request.url())
        .headers(headers)
        .body(request.body());
    if (!request.formDataFields().isEmpty()) {
      copy.formDataFields(request.formDataFields());
    }
    if (!request.formDataFiles().isEmpty()) {
      copy.formDataFiles(request.formDataFiles());
    }
    return copy.build();
  }

  /** Ends the request's span when the stream closes or fails. */
  private record EndingListener(ServerSentEventListener delegate, HttpClientSpans.Request span)
      implements ServerSentEventListener {

    @Override
    public void onOpen(SuccessfulHttpResponse response) {
      span.answered(response.statusCode());
      delegate.onOpen(response);
    }

    @Override
    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
      delegate.onEvent(event, context);
    }

    @Override
    public void onEvent(ServerSentEvent event) {
      delegate.onEvent(event);
    }

    @Override
    public void onError(Throwable error) {
      if (error instanceof HttpException http) {
        span.answered(http.statusCode());
      } else {
        span.failed(error.getClass().getName());
      }
      span.close();
      delegate.onError(error);
    }

    @Override
    public void onClose() {
      span.close();
      delegate.onClose();
    }
  }

  private static final class Builder implements HttpClientBuilder {

    private final HttpClientBuilder delegate;
    private final HttpClientSpans spans;

    Builder(HttpClientBuilder delegate, HttpClientSpans spans) {
      this.delegate = delegate;
      this.spans = spans;
    }

    @Override
    public Duration connectTimeout() {
      return delegate.connectTimeout();
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      delegate.connectTimeout(timeout);
      return this;
    }

    @Override
    public Duration readTimeout() {
      return delegate.readTimeout();
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      delegate.readTimeout(timeout);
      return this;
    }

    @Override
    public HttpClient build() {
      return new TracedHttpClient(delegate.build(), spans);
    }
  }
}
