package dev.saturn.activities.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns request problems and provider exceptions into the failures Temporal acts on. */
final class LlmFailures {

  private static final int MAX_BODY_EXCERPT = 300;
  private static final int MAX_CAUSE_DEPTH = 10;
  private static final String REDACTED = "[REDACTED]";
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',}]+");
  /**
   * The longest {@code Retry-After} honoured: a turn someone waits for should fail visibly rather
   * than sit out an hour-long ban; the next attempt then waits this long.
   */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);
  private static final Pattern OPENAI_STYLE_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{8,}");

  private LlmFailures() {}

  static ApplicationFailure validation(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorCode.VALIDATION_FAILED.name());
  }

  /** Rejects what no server could answer, before anything is sent. */
  static void requireValid(ProviderRequest request) {
    if (request == null || request.messages().isEmpty()) {
      throw validation("A model request needs at least one message");
    }
    for (PromptMessage message : request.messages()) {
      String role = message.role();
      if (!PromptMessage.SYSTEM.equals(role)
          && !PromptMessage.USER.equals(role)
          && !PromptMessage.ASSISTANT.equals(role)
          && !PromptMessage.TOOL.equals(role)) {
        throw validation("Unknown prompt message role '" + role + "'");
      }
      if (message.content() == null) {
        throw validation("A " + role + " prompt message has no content");
      }
    }
  }

  /**
   * Maps what a provider call threw, by exception type and HTTP status (never by message text, which
   * differs between servers and versions).
   *
   * <p>Timeouts and overload (429 as {@code LLM_RATE_LIMITED}, 5xx, refused or reset connections)
   * are retryable, after the provider's {@code Retry-After} when it sent one: the same
   * request can succeed later. Everything else (bad request, bad key, unknown model, a host name that
   * does not resolve, a body that is not OpenAI JSON) is a configuration or request problem and
   * fails the attempt for good, so a user sees it at once instead of after every retry.
   *
   * <p>Messages and the attached cause chain are redacted: both end up in Temporal's history and in
   * logs, and some servers echo the key they rejected.
   */
  static ApplicationFailure fromProviderCall(
      RuntimeException failure, String provider, String endpoint, Duration timeout, String apiKey) {
    List<Throwable> chain = causeChain(failure);
    Throwable cause = redactedCopy(failure, apiKey, 0);
    String where = " (" + provider + " at " + endpoint + ")";

    if (anyInstance(chain, dev.langchain4j.exception.TimeoutException.class)
        || anyInstance(chain, HttpTimeoutException.class)
        || anyInstance(chain, SocketTimeoutException.class)
        || anyInstance(chain, java.util.concurrent.TimeoutException.class)) {
      return ApplicationFailure.newFailureWithCause(
          "LLM provider did not answer within " + human(timeout) + where,
          ErrorCode.LLM_TIMEOUT.name(),
          cause);
    }

    HttpException http = firstInstance(chain, HttpException.class);
    if (http != null) {
      int status = http.statusCode();
      String message =
          "LLM provider returned HTTP " + status + where + excerpt(http.getMessage(), apiKey);
      if (status == 408) {
        // The server (or a proxy in front of it) gave up waiting: a timeout, not a bad request.
        return ApplicationFailure.newFailureWithCause(message, ErrorCode.LLM_TIMEOUT.name(), cause);
      }
      if (status == 429 || (status >= 500 && status < 600)) {
        // The provider's own word on when to come back beats our backoff: retrying sooner only
        // spends another attempt on the same refusal.
        Duration retryAfter = http instanceof ProviderHttpClient.StatusException answered
            ? answered.retryAfter().map(LlmFailures::capped).orElse(null)
            : null;
        return ApplicationFailure.newBuilder()
            .setMessage(message + (retryAfter == null ? "" : " (retry after " + human(retryAfter) + ")"))
            .setType(status == 429 ? ErrorCode.LLM_RATE_LIMITED.name() : ErrorCode.LLM_PROVIDER_ERROR.name())
            .setCause(cause)
            .setNextRetryDelay(retryAfter)
            .build();
      }
      return ApplicationFailure.newNonRetryableFailureWithCause(
          message, ErrorCode.LLM_PROVIDER_ERROR.name(), cause);
    }

    // Checked before IOException: the JDK reports an unknown host as a ConnectException.
    if (anyInstance(chain, UnresolvedModelServerException.class)
        || anyInstance(chain, UnresolvedAddressException.class)
        || anyInstance(chain, UnknownHostException.class)) {
      return ApplicationFailure.newNonRetryableFailureWithCause(
          "LLM provider host does not resolve" + where,
          ErrorCode.LLM_PROVIDER_ERROR.name(),
          cause);
    }

    // Jackson's parse errors are IOExceptions too, but a body that is not OpenAI JSON (an HTML
    // page behind a wrong base URL) will not parse on the next attempt either.
    boolean unparsable = anyInstance(chain, JsonProcessingException.class);
    if (!unparsable
        && (anyInstance(chain, IOException.class)
            || anyInstance(chain, InterruptedException.class)
            || anyInstance(chain, RetriableException.class))) {
      return ApplicationFailure.newFailureWithCause(
          "LLM provider unreachable" + where + ": " + describe(chain, apiKey),
          ErrorCode.LLM_PROVIDER_ERROR.name(),
          cause);
    }

    return ApplicationFailure.newNonRetryableFailureWithCause(
        "LLM provider call failed" + where + ": " + describe(chain, apiKey),
        ErrorCode.LLM_PROVIDER_ERROR.name(),
        cause);
  }

  /** A successful status whose body held no event of the provider's stream: a wrong base URL, not a passing fault. */
  static ApplicationFailure notAStream(String provider, String endpoint) {
    return ApplicationFailure.newNonRetryableFailure(
        "LLM provider answered without a " + provider + " response stream (" + provider + " at " + endpoint
            + "): is the base URL the provider's API (OpenAI-compatible: up to /v1; Ollama: the server's root)?",
        ErrorCode.LLM_PROVIDER_ERROR.name());
  }

  static String redact(String text, String apiKey) {
    if (text == null) {
      return null;
    }
    String out = text;
    if (apiKey != null && !apiKey.isEmpty()) {
      out = out.replace(apiKey, REDACTED);
    }
    // Keys that are not ours (a proxy's, a rotated one) are secrets too.
    out = BEARER.matcher(out).replaceAll("$1" + REDACTED);
    return OPENAI_STYLE_KEY.matcher(out).replaceAll("sk-" + REDACTED);
  }

  /** The base URL without user info or query, either of which may carry credentials. */
  static String displayEndpoint(String baseUrl) {
    try {
      URI uri = URI.create(baseUrl);
      if (uri.getHost() == null) {
        return "<invalid base URL>";
      }
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
          + (uri.getRawPath() == null ? "" : uri.getRawPath());
    } catch (IllegalArgumentException e) {
      return "<invalid base URL>";
    }
  }

  private static String excerpt(String body, String apiKey) {
    return body == null || body.isBlank() ? "" : ": " + flatten(body, apiKey);
  }

  /** One redacted line, short enough for a failure message. */
  private static String flatten(String text, String apiKey) {
    String flat = redact(text, apiKey).replaceAll("\\s+", " ").strip();
    return flat.length() > MAX_BODY_EXCERPT ? flat.substring(0, MAX_BODY_EXCERPT) + "…" : flat;
  }

  /**
   * The first I/O exception names the actual problem ("ConnectException: Connection refused"); the
   * runtime exceptions around it only wrap, and what lies below it is often channel plumbing.
   */
  private static String describe(List<Throwable> chain, String apiKey) {
    Throwable named = firstInstance(chain, IOException.class);
    if (named == null) {
      named = chain.get(chain.size() - 1);
    }
    String message = named.getMessage();
    return named.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : " " + flatten(message, apiKey));
  }

  private static Duration capped(Duration retryAfter) {
    return retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter;
  }

  /** "60s" or "300ms" rather than ISO-8601's "PT1M", for people reading a failed turn. */
  static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  private static List<Throwable> causeChain(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static boolean anyInstance(List<Throwable> chain, Class<?> type) {
    return firstInstance(chain, type) != null;
  }

  private static <T> T firstInstance(List<Throwable> chain, Class<T> type) {
    for (Throwable t : chain) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * A stand-in for the original chain with redacted messages and the original stack traces, so the
   * failure stays debuggable without carrying a key into Temporal's history.
   */
  private static Throwable redactedCopy(Throwable original, String apiKey, int depth) {
    if (original == null || depth >= MAX_CAUSE_DEPTH) {
      return null;
    }
    Throwable next = original.getCause() == original ? null : original.getCause();
    String message = original.getMessage();
    ProviderCallException copy =
        new ProviderCallException(
            original.getClass().getName()
                + (message == null ? "" : ": " + redact(message, apiKey)),
            redactedCopy(next, apiKey, depth + 1));
    copy.setStackTrace(original.getStackTrace());
    return copy;
  }

  /** Carries a provider exception's redacted message; its text starts with the original class. */
  static final class ProviderCallException extends RuntimeException {
    ProviderCallException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
