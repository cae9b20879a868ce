package dev.saturn.activities.llm;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Answers without any model, so SATURN runs end to end with nothing configured. It never pretends
 * to be a model: every reply says what it is, repeats what it was asked, and says how to configure
 * a real one. When the prompt carries knowledge-base passages it quotes the ones that share the
 * most words with the question, which makes retrieval observable without a model. It streams the
 * answer in pieces of a few words, {@code saturn.llm.offline.stream-pace} apart, like a model would.
 */
@Component
public class OfflineChatProvider implements ChatProvider {

  static final String NAME = "offline";
  static final String MODEL = "saturn-offline";

  private static final int MAX_QUESTION_CHARS = 200;
  private static final int MAX_PASSAGE_CHARS = 600;
  private static final int MAX_QUOTED_PASSAGES = 3;
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
  /** A word with the whitespace after it: pieces joined give back the answer exactly. */
  private static final Pattern WORD = Pattern.compile("\\s*\\S+\\s*");
  private static final int WORDS_PER_PIECE = 3;
  private static final Set<String> STOP_WORDS =
      Set.of(
          "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for",
          "with", "from", "as", "is", "are", "was", "were", "be", "been", "am", "do", "does",
          "did", "have", "has", "had", "it", "its", "this", "that", "these", "those", "there",
          "what", "which", "who", "whom", "when", "where", "why", "how", "can", "could", "should",
          "would", "will", "shall", "may", "might", "must", "i", "me", "my", "we", "our", "you",
          "your", "he", "she", "they", "them", "their", "his", "her", "not", "no", "so", "than",
          "then", "about", "into", "any", "all", "some", "tell", "please");

  private final Duration pace;

  /** Streams without a pause: for tests that do not watch the stream. */
  public OfflineChatProvider() {
    this(Duration.ZERO);
  }

  @Autowired
  public OfflineChatProvider(LlmProperties properties) {
    this(properties.offline().streamPace());
  }

  public OfflineChatProvider(Duration pace) {
    this.pace = pace;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProviderReply stream(ProviderRequest request, TextSink text) {
    LlmFailures.requireValid(request);
    String question = lastUserMessage(request.messages());
    List<String> passages = passages(request.messages());
    String answer = answer(question, passages);
    List<String> pieces = pieces(answer);
    for (int i = 0; i < pieces.size(); i++) {
      if (i > 0 && !pace.isZero()) {
        pause();
      }
      text.accept(pieces.get(i));
    }
    return new ProviderReply(
        answer,
        MODEL,
        TokenEstimator.promptTokens(request.messages()),
        TokenEstimator.count(answer),
        true);
  }

  /** The answer in pieces of a few words; joined they are the answer. */
  static List<String> pieces(String answer) {
    List<String> pieces = new ArrayList<>();
    Matcher words = WORD.matcher(answer);
    StringBuilder piece = new StringBuilder();
    int inPiece = 0;
    int end = 0;
    while (words.find()) {
      piece.append(words.group());
      end = words.end();
      if (++inPiece == WORDS_PER_PIECE) {
        pieces.add(piece.toString());
        piece.setLength(0);
        inPiece = 0;
      }
    }
    piece.append(answer, end, answer.length());
    if (piece.length() > 0) {
      pieces.add(piece.toString());
    }
    return pieces;
  }

  private void pause() {
    try {
      Thread.sleep(pace.toMillis());
    } catch (InterruptedException e) {
      // The activity gave up on this attempt.
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("the offline answer was abandoned", ErrorCode.LLM_PROVIDER_ERROR.name());
    }
  }

  private static String answer(String question, List<String> passages) {
    StringBuilder out = new StringBuilder();
    out.append("This is SATURN's offline provider: no language model is configured, ")
        .append("so this reply was not written by a model.\n\n");
    if (question == null || question.isBlank()) {
      out.append("There was no user message to answer.\n\n");
    } else {
      out.append("You asked: \"")
          .append(shorten(question.replaceAll("\\s+", " "), MAX_QUESTION_CHARS)).append("\"\n\n");
    }
    if (!passages.isEmpty()) {
      List<String> best = bestPassages(question, passages);
      if (best.isEmpty()) {
        out.append("None of the ")
            .append(passages.size())
            .append(passages.size() == 1 ? " knowledge base passage" : " knowledge base passages")
            .append(" shares words with your question.\n\n");
      } else {
        out.append(
            best.size() == 1
                ? "From the knowledge base, the passage closest to your question:\n"
                : "From the knowledge base, the passages closest to your question:\n");
        for (String passage : best) {
          out.append("> ").append(shorten(passage, MAX_PASSAGE_CHARS).replace("\n", "\n> "));
          out.append('\n');
        }
        out.append('\n');
      }
    }
    out.append("To get real answers, set SATURN_OPENAI_BASE_URL to an OpenAI-compatible server ")
        .append("(and SATURN_OPENAI_API_KEY if it needs one) and choose the provider \"openai\" ")
        .append("for this agent.");
    return out.toString();
  }

  private static String lastUserMessage(List<PromptMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (PromptMessage.USER.equals(messages.get(i).role())) {
        return messages.get(i).content().strip();
      }
    }
    return null;
  }

  /**
   * The passages of the {@link PassageBlock}s in the user messages before the question (where the
   * chat activity puts them); a block typed into the question itself is not a retrieved passage.
   */
  static List<String> passages(List<PromptMessage> messages) {
    List<String> passages = new ArrayList<>();
    int question = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (PromptMessage.USER.equals(messages.get(i).role())) {
        question = i;
      }
    }
    for (int i = 0; i < question; i++) {
      if (PromptMessage.USER.equals(messages.get(i).role())) {
        passages.addAll(PassageBlock.texts(messages.get(i).content()));
      }
    }
    return passages;
  }

  /** All passages tied for the most distinct question words shared, in prompt order. */
  static List<String> bestPassages(String question, List<String> passages) {
    Set<String> questionWords = words(question);
    int best = 0;
    List<String> chosen = new ArrayList<>();
    for (String passage : passages) {
      Set<String> shared = words(passage);
      shared.retainAll(questionWords);
      if (shared.size() > best) {
        best = shared.size();
        chosen.clear();
      }
      if (best > 0 && shared.size() == best && chosen.size() < MAX_QUOTED_PASSAGES) {
        chosen.add(passage);
      }
    }
    return chosen;
  }

  private static Set<String> words(String text) {
    Set<String> words = new LinkedHashSet<>();
    if (text == null) {
      return words;
    }
    for (String raw : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (raw.isEmpty() || STOP_WORDS.contains(raw)) {
        continue;
      }
      // Crude plural folding so "refunds" meets "refund"; good enough for a word-overlap score.
      words.add(raw.length() > 3 && raw.endsWith("s") && !raw.endsWith("ss")
          ? raw.substring(0, raw.length() - 1)
          : raw);
    }
    return words;
  }

  private static String shorten(String text, int max) {
    String strip = text.strip();
    return strip.length() <= max ? strip : strip.substring(0, max).strip() + "…";
  }
}
