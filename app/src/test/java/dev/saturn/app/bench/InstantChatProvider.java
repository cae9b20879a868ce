package dev.saturn.app.bench;

import dev.saturn.activities.llm.ChatProvider;
import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.TextSink;

/**
 * A model that answers at once with a fixed reply and fixed token counts, so a benchmark measures
 * the platform around the model call and nothing of the model.
 *
 * <p>Deliberately not a Spring component: {@code SaturnApplication} scans {@code dev.saturn}, and
 * test classes must not leak into other tests' contexts. The benchmark registers it by hand.
 */
public final class InstantChatProvider implements ChatProvider {

  public static final String NAME = "instant";
  public static final String MODEL = "instant-1";
  public static final String REPLY = "Instant reply from the benchmark model.";
  public static final long INPUT_TOKENS = 12;
  public static final long OUTPUT_TOKENS = 7;

  private static final ProviderReply ANSWER = new ProviderReply(REPLY, MODEL, INPUT_TOKENS, OUTPUT_TOKENS, false);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProviderReply stream(ProviderRequest request, TextSink text) {
    text.accept(REPLY);
    return ANSWER;
  }
}
