package dev.saturn.api.openai;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the OpenAI-compatible endpoints, under {@code saturn.openai-compat}: not
 * {@code saturn.openai}, whose environment names ({@code SATURN_OPENAI_*}) belong to the OpenAI
 * model provider.
 *
 * @param resultWait how long a non-streamed {@code POST /v1/chat/completions} or {@code POST
 *     /v1/responses} (without {@code background}) waits for the turn before answering with it still
 *     in progress. Longer than the native API's wait: OpenAI clients expect the answer in the
 *     response and wait minutes for it
 * @param streamTimeout the longest a streamed answer stays open; the turn goes on after it
 */
@ConfigurationProperties("saturn.openai-compat")
public record OpenAiProperties(
    @DefaultValue("120s") Duration resultWait,
    @DefaultValue("10m") Duration streamTimeout) {

  public OpenAiProperties {
    resultWait = resultWait == null ? Duration.ofSeconds(120) : resultWait;
    streamTimeout = streamTimeout == null ? Duration.ofMinutes(10) : streamTimeout;
  }
}
