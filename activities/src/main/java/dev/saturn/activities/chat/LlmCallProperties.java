package dev.saturn.activities.chat;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code saturn.llm.calls}: the pool model calls run on in a worker process, while their activity
 * heartbeats (see {@link dev.saturn.activities.common.HeartbeatingPool}).
 *
 * @param threads most model calls this worker has in flight at once
 * @param queue most calls waiting for a thread; past that an attempt fails with a retryable
 *     {@code SERVICE_UNAVAILABLE} and Temporal retries it with backoff
 */
@ConfigurationProperties("saturn.llm.calls")
public record LlmCallProperties(@DefaultValue("32") Integer threads, @DefaultValue("32") Integer queue) {

  public LlmCallProperties {
    // Blank as well as unset means the default, like every saturn.llm setting.
    threads = threads == null ? 32 : threads;
    queue = queue == null ? 32 : queue;
  }
}
