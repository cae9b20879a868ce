package dev.saturn.activities.llm;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One streamed model call seen from the calling thread: langchain4j delivers text and the completed
 * response on the HTTP client's threads; {@link #await} waits for the end. {@link #cancel} closes
 * the stream as soon as langchain4j hands out its handle (with the first chunk), so an abandoned
 * call stops reading instead of running on beside its retry.
 */
final class StreamedAnswer implements StreamingChatResponseHandler {

  private final TextSink text;
  private final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
  private volatile StreamingHandle handle;
  private volatile boolean cancelled;
  private volatile boolean receivedAnything;

  StreamedAnswer(TextSink text) {
    this.text = text;
  }

  /**
   * @return the completed response
   * @throws RuntimeException what the stream failed with, or a langchain4j timeout when the whole
   *     answer took longer than {@code timeout}
   */
  ChatResponse await(Duration timeout) throws InterruptedException {
    try {
      return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new dev.langchain4j.exception.TimeoutException("no complete answer within " + timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
  }

  void cancel() {
    cancelled = true;
    closeStream();
  }

  /** Whether the server sent any OpenAI event (text or a tool call). */
  boolean receivedAnything() {
    return receivedAnything;
  }

  @Override
  public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
    remember(context.streamingHandle());
    onPartialResponse(partial.text());
  }

  @Override
  public void onPartialResponse(String partial) {
    receivedAnything = true;
    if (!cancelled && partial != null && !partial.isEmpty()) {
      text.accept(partial);
    }
  }

  @Override
  public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
    receivedAnything = true;
    remember(context.streamingHandle());
  }

  @Override
  public void onCompleteToolCall(CompleteToolCall call) {
    receivedAnything = true;
  }

  @Override
  public void onCompleteResponse(ChatResponse response) {
    done.complete(response);
  }

  @Override
  public void onError(Throwable error) {
    done.completeExceptionally(error);
  }

  private void remember(StreamingHandle streamingHandle) {
    if (handle == null && streamingHandle != null) {
      handle = streamingHandle;
      if (cancelled) {
        closeStream();
      }
    }
  }

  private void closeStream() {
    StreamingHandle current = handle;
    if (current != null && !current.isCancelled()) {
      try {
        current.cancel();
      } catch (RuntimeException ignored) {
        // the stream is going away anyway
      }
    }
  }
}
