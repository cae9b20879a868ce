package dev.saturn.activities.chat;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code saturn.llm.stream}: how a model call's text reaches the turn's journal while it is written.
 *
 * @param flushEvery at most one {@code message.delta} event is written per window: text that comes
 *     after a quiet window is written at once, text that comes sooner is gathered until the window
 *     has passed. A shorter window gets bursts of text to readers sooner, a longer one writes fewer rows
 */
@ConfigurationProperties("saturn.llm.stream")
public record AnswerStreamProperties(@DefaultValue("25ms") Duration flushEvery) {

  public static final Duration DEFAULT_FLUSH_EVERY = Duration.ofMillis(25);

  public AnswerStreamProperties {
    if (flushEvery == null) {
      flushEvery = DEFAULT_FLUSH_EVERY;
    }
    if (flushEvery.toMillis() < 1 || flushEvery.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("saturn.llm.stream.flush-every must be between 1ms and 1s: " + flushEvery);
    }
  }
}
