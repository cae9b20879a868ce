package dev.saturn.activities.kb.text;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import java.util.HashMap;
import java.util.Map;

/**
 * A BERT WordPiece tokenizer's counts, computed word by word and remembered per word. That
 * tokenizer splits at whitespace before anything else (and adds no special tokens when counting),
 * so a text's count is exactly the sum of its words' counts, and each distinct word needs the
 * tokenizer once. The recursive splitter measures every piece it tries and every segment it grows,
 * about three times the document's text; with this, each word is tokenized once per document.
 *
 * <p>Only ASCII space, tab, CR and LF separate words here: characters the tokenizer treats as
 * whitespace too, so no split falls where the tokenizer would not split. Not thread-safe, and meant
 * to live for one document (the cache holds that document's vocabulary).
 */
public final class WordTokenCounts implements TokenCountEstimator {

  private final TokenCountEstimator tokenizer;
  private final Map<String, Integer> words = new HashMap<>();

  public WordTokenCounts(TokenCountEstimator tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public int estimateTokenCountInText(String text) {
    int count = 0;
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || separates(text.charAt(i))) {
        if (start >= 0) {
          count += words.computeIfAbsent(text.substring(start, i), tokenizer::estimateTokenCountInText);
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
    }
    return count;
  }

  private static boolean separates(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
  }

  @Override
  public int estimateTokenCountInMessage(ChatMessage message) {
    return tokenizer.estimateTokenCountInMessage(message);
  }

  @Override
  public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
    return tokenizer.estimateTokenCountInMessages(messages);
  }
}
