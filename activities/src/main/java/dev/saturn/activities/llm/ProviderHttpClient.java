package dev.saturn.activities.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * langchain4j's HTTP client for model providers. Unlike the stock JDK client it keeps what a failed
 * answer said about when to come back ({@code Retry-After}) on the exception it throws, so Temporal's
 * next attempt can wait exactly that long. Always HTTP/1.1 and never follows redirects: the JDK client
 * defaults to HTTP/2 and, over plain http://, sends an h2c upgrade request whose body vLLM and Ollama
 * (uvicorn) drop, answering 400/422; a redirect could lead a tenant's request past the SSRF guard.
 * Streaming requests go through langchain4j's JDK client, over the same settings.
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

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;
  private final HttpClient streaming;

  private ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER);
    if (connectTimeout != null) {
      jdk.connectTimeout(connectTimeout);
    }
    this.client = jdk.build();
    this.readTimeout = readTimeout;
    this.streaming = JdkHttpClient.builder()
        .httpClientBuilder(java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER))
        .connectTimeout(connectTimeout)
        .readTimeout(readTimeout)
        .build();
  }

  static HttpClientBuilder builder() {
    return new Builder();
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    java.net.http.HttpRequest.Builder jdk = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
    request.headers().forEach((name, values) -> values.forEach(value -> jdk.header(name, value)));
    jdk.method(request.method().name(), request.body() == null
        ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
    if (readTimeout != null) {
      jdk.timeout(readTimeout);
    }
    HttpResponse<String> response;
    try {
      response = client.send(jdk.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the provider", e);
    }
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      throw new StatusException(response.statusCode(), response.body(),
          response.headers().firstValue("Retry-After").flatMap(ProviderHttpClient::retryAfter).orElse(null));
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .body(response.body())
        .build();
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    streaming.execute(request, parser, listener);
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
