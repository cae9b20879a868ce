package dev.saturn.activities.kb.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Word-by-word counts against the BERT tokenizer itself, and the splitter's chunks with either. */
class WordTokenCountsTest {

  static final HuggingFaceTokenCountEstimator BERT = new HuggingFaceTokenCountEstimator();

  @ParameterizedTest
  @ValueSource(strings = {
      "The refund policy (section 4.2) applies to invoices over $1,000.00 - see https://example.com/a?b=c.",
      "  leading and trailing whitespace\t\tand tabs\r\nand CRLF lines  ",
      "Ünïcödé àccents, naïve café résumé; Straße and ﬁ ligatures",
      "中文文本没有空格 mixed with English 日本語のテキスト",
      "emoji 🙂👍🏽 and symbols ©®™ → ≤ ≥ ∑",
      "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
      "a-very-long-hyphenated-token-that-goes-on-and-on-and-on-for-well-over-one-hundred-characters-to-hit-the-wordpiece-limit-of-bert",
      "non\u00a0breaking\u00a0spaces and zero\u200bwidth joiners, control\u0007chars",
      ""
  })
  void givenAnyText_whenCountedWordByWord_itShouldEqualTheTokenizersCount(String text) {
    WordTokenCounts counts = new WordTokenCounts(BERT);

    assertThat(counts.estimateTokenCountInText(text)).isEqualTo(BERT.estimateTokenCountInText(text));
    // and again, from the cache
    assertThat(counts.estimateTokenCountInText(text + "\n\n" + text))
        .isEqualTo(BERT.estimateTokenCountInText(text + "\n\n" + text));
  }

  @Test
  void givenADocument_whenSplit_itShouldGiveTheSameChunksAsTheLibrarySplitterWithFarFewerTokenizerCalls() {
    String text = document(120);
    CountingEstimator direct = new CountingEstimator(BERT);
    List<String> expected = DocumentSplitters.recursive(200, 30, direct).split(Document.from(text)).stream()
        .map(TextSegment::text).map(String::strip).filter(s -> !s.isEmpty()).toList();
    CountingEstimator cached = new CountingEstimator(BERT);

    List<String> chunks = new Chunker(cached).split(text, 200, 30);

    assertThat(chunks).hasSizeGreaterThan(50).isEqualTo(expected);
    assertThat(cached.characters.get()).isLessThan(direct.characters.get() / 5);
  }

  /** Paragraphs of sentences from a small vocabulary, each sentence numbered (so words repeat, not all). */
  static String document(int paragraphs) {
    Random random = new Random(3);
    String[] words = "policy customer invoice warranty shipping refund account manager report quarter, review: contract"
        .split(" ");
    StringBuilder text = new StringBuilder();
    for (int p = 0; p < paragraphs; p++) {
      for (int s = 0; s < 6; s++) {
        for (int w = 0; w < 12; w++) {
          text.append(words[random.nextInt(words.length)]).append(' ');
        }
        text.append("number ").append(p * 6 + s).append(". ");
      }
      text.append("\n\n");
    }
    return text.toString();
  }

  /** Counts how much text reaches the tokenizer. */
  static final class CountingEstimator implements TokenCountEstimator {
    final TokenCountEstimator tokenizer;
    final AtomicInteger characters = new AtomicInteger();

    CountingEstimator(TokenCountEstimator tokenizer) {
      this.tokenizer = tokenizer;
    }

    @Override
    public int estimateTokenCountInText(String text) {
      characters.addAndGet(text.length());
      return tokenizer.estimateTokenCountInText(text);
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
      throw new UnsupportedOperationException("the splitter counts text only");
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
      throw new UnsupportedOperationException("the splitter counts text only");
    }
  }
}
