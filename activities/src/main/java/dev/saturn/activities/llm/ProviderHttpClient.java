package dev.saturn.activities.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventListenerUtils;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * langchain4j's HTTP client for model providers. Unlike the stock JDK client it keeps what a failed
 * answer said about when to come back ({@code Retry-After}) on the exception it throws, so Temporal's
 * next attempt can wait exactly that long. Always HTTP/1.1 and never follows redirects: the JDK client
 * defaults to HTTP/2 and, over plain http://, sends an h2c upgrade request whose body vLLM and Ollama
 * (uvicorn) drop, answering 400/422; a redirect could lead a tenant's request past the SSRF guard.
 * Streamed calls (OpenAI's server-sent events, Ollama's NDJSON) go through the same client and fail
 * the same way: a 429 before the first byte still carries its {@code Retry-After}.
 */
final class ProviderHttpClient implements HttpClient {

  /** A non-2xx answer, with the provider's {@code Retry-After} when it sent one. */
  static final class StatusException extends HttpException {
    private final transient Duration retryAfter;

    StatusException(int status, String body, Duration retryAfter) {
      super(status, body);
      this.retryAfter = retryAfter;
    }

    Optional<Duration> retryAfter() {
      return Optional.ofNullable(retryAfter);
    }
  }

  /** Only an excerpt of an error body ends up in a failure; a proxy's error page may be large. */
  private static final int MAX_ERROR_BODY = 64 * 1024;

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  private ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER);
    if (connectTimeout != null) {
      jdk.connectTimeout(connectTimeout);
    }
    this.client = jdk.build();
    this.readTimeout = readTimeout;
  }

  static HttpClientBuilder builder() {
    return new Builder();
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = client.send(toJdk(request), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the provider", e);
    }
    if (!successful(response)) {
      throw failure(response.statusCode(), response.body(), response.headers());
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .body(response.body())
        .build();
  }

  /**
   * As langchain4j's JDK client streams (events parsed on the client's thread, the listener told of
   * open, each event, close or the error), except that a failed status becomes a {@link
   * StatusException} with the answer's {@code Retry-After}.
   */
  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    client.sendAsync(toJdk(request), HttpResponse.BodyHandlers.ofInputStream())
        .thenAccept(response -> {
          if (!successful(response)) {
            StatusException failure = failure(response.statusCode(), drain(response.body()), response.headers());
            ServerSentEventListenerUtils.ignoringExceptions(() -> listener.onError(failure));
            return;
          }
          SuccessfulHttpResponse opened = SuccessfulHttpResponse.builder()
              .statusCode(response.statusCode())
              .headers(response.headers().map())
              .build();
          ServerSentEventListenerUtils.ignoringExceptions(() -> listener.onOpen(opened));
          try (InputStream body = response.body()) {
            parser.parse(body, listener);
            ServerSentEventListenerUtils.ignoringExceptions(listener::onClose);
          } catch (IOException e) {
            ServerSentEventListenerUtils.ignoringExceptions(() -> listener.onError(new UncheckedIOException(e)));
          }
        })
        .exceptionally(error -> {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          Throwable reported = cause instanceof HttpTimeoutException
              ? new dev.langchain4j.exception.TimeoutException(cause)
              : cause;
          ServerSentEventListenerUtils.ignoringExceptions(() -> listener.onError(reported));
          return null;
        });
  }

  private java.net.http.HttpRequest toJdk(HttpRequest request) {
    java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
    request.headers().forEach((name, values) -> values.forEach(value -> jdk.header(name, value)));
    jdk.method(request.method().name(), request.body() == null
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
    if (readTimeout != null) {
      jdk.timeout(readTimeout);
    }
    return jdk.build();
  }

  private static boolean successful(HttpResponse<?> response) {
    return response.statusCode() >= 200 && response.statusCode() < 300;
  }

  private static StatusException failure(int status, String body, HttpHeaders headers) {
    return new StatusException(status, body,
        headers.firstValue("Retry-After").flatMap(ProviderHttpClient::retryAfter).orElse(null));
  }

  /** The start of a failed answer's body, for the error message; what cannot be read is left out. */
  private static String drain(InputStream body) {
    try (InputStream in = body) {
      return new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** Delay-seconds or an HTTP date (RFC 9110 10.2.3); nothing for what is neither. */
  static Optional<Duration> retryAfter(String value) {
    String text = value == null ? "" : value.strip();
    if (text.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Duration until = Duration.between(
          ZonedDateTime.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout;
    private Duration readTimeout;

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    @Override
    public HttpClient build() {
      return new ProviderHttpClient(connectTimeout, readTimeout);
    }
  }
}
