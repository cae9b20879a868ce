package dev.saturn.activities.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;

/**
 * Token counts for when no server reports them, with the cl100k_base tokenizer (GPT-3.5/4 family)
 * and OpenAI's documented chat framing: about 3 tokens per message plus its role, and 3 priming
 * the reply. Other models tokenize differently, which is why such counts are marked estimated.
 */
public final class TokenEstimator {

  static final int TOKENS_PER_MESSAGE = 3;
  static final int REPLY_PRIMING_TOKENS = 3;

  // The lazy registry loads only cl100k_base instead of every vocabulary jtokkit ships.
  private static final Encoding CL100K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private TokenEstimator() {}

  /** Ordinary counting: user text containing "<|endoftext|>" must count, not throw. */
  public static long count(String text) {
    return text == null || text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
  }

  public static long promptTokens(List<PromptMessage> messages) {
    long total = REPLY_PRIMING_TOKENS;
    for (PromptMessage message : messages) {
      total += TOKENS_PER_MESSAGE + count(message.role()) + count(message.content());
    }
    return total;
  }
}
