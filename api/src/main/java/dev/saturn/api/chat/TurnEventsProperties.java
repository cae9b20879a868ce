package dev.saturn.api.chat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code saturn.chat.events}: how an API process follows the turns it streams.
 *
 * @param pollEvery how often the process's one listener reads new events of every turn it streams,
 *     in one query (events written by a worker in this process arrive at once, without it)
 * @param subscriberBuffer events one stream may hold for a reader that has not taken them yet;
 *     past it the reader reads on from the database, so a slow client costs no memory
 * @param writerThreads threads that write events to SSE clients (a slow client holds one while
 *     its socket is full)
 * @param keepAlive a comment line goes to an SSE client that got nothing for this long, so
 *     proxies do not close the connection
 * @param maxStream an SSE stream ends after this long at the latest; the client resumes with
 *     {@code Last-Event-ID}
 */
@ConfigurationProperties("saturn.chat.events")
public record TurnEventsProperties(
    @DefaultValue("25ms") Duration pollEvery,
    @DefaultValue("256") int subscriberBuffer,
    @DefaultValue("8") int writerThreads,
    @DefaultValue("15s") Duration keepAlive,
    @DefaultValue("1h") Duration maxStream) {

  public TurnEventsProperties {
    pollEvery = pollEvery == null ? Duration.ofMillis(25) : pollEvery;
    keepAlive = keepAlive == null ? Duration.ofSeconds(15) : keepAlive;
    maxStream = maxStream == null ? Duration.ofHours(1) : maxStream;
    subscriberBuffer = subscriberBuffer == 0 ? 256 : subscriberBuffer;
    writerThreads = writerThreads == 0 ? 8 : writerThreads;
    if (pollEvery.toMillis() < 1 || pollEvery.compareTo(Duration.ofSeconds(5)) > 0) {
      throw new IllegalArgumentException("saturn.chat.events.poll-every must be between 1ms and 5s: " + pollEvery);
    }
    if (subscriberBuffer < 16) {
      throw new IllegalArgumentException("saturn.chat.events.subscriber-buffer must be at least 16: " + subscriberBuffer);
    }
    if (writerThreads < 1) {
      throw new IllegalArgumentException("saturn.chat.events.writer-threads must be at least 1: " + writerThreads);
    }
  }

  /** The defaults, for code that builds the event machinery by hand (tests). */
  public static TurnEventsProperties defaults() {
    return new TurnEventsProperties(null, 0, 0, null, null);
  }
}
