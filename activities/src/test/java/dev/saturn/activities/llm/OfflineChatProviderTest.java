package dev.saturn.activities.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineChatProviderTest {

  private static final Encoding CL100K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private final OfflineChatProvider provider = new OfflineChatProvider();

  @Test
  void isHonestAboutBeingOfflineAndSaysHowToConfigureAModel() {
    ProviderReply reply = provider.complete(request(PromptMessage.user("Summarise our Q3 plan")));

    assertThat(reply.model()).isEqualTo("saturn-offline");
    assertThat(reply.estimated()).isTrue();
    assertThat(reply.content())
        .contains("SATURN")
        .contains("offline")
        .contains("no language model is configured")
        .contains("\"Summarise our Q3 plan\"")
        .contains("SATURN_OPENAI_BASE_URL")
        .contains("\"openai\"");
  }

  @Test
  void streamsTheAnswerInPiecesOfAFewWordsThePaceApart() {
    OfflineChatProvider paced = new OfflineChatProvider(java.time.Duration.ofMillis(5));
    List<String> pieces = new java.util.ArrayList<>();
    List<Long> times = new java.util.ArrayList<>();

    ProviderReply reply = paced.stream(request(PromptMessage.user("Summarise our Q3 plan")), text -> {
      pieces.add(text);
      times.add(System.nanoTime());
    });

    assertThat(String.join("", pieces)).isEqualTo(reply.content());
    assertThat(pieces).hasSizeGreaterThan(10)
        .allSatisfy(piece -> assertThat(piece.strip().split("\\s+").length).isBetween(1, 3));
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(4));
    }
    assertThat(OfflineChatProvider.pieces("  two  words ")).containsExactly("  two  words ");
    assertThat(OfflineChatProvider.pieces("")).isEmpty();
  }

  @Test
  void isDeterministic() {
    ProviderRequest request =
        request(
            PromptMessage.system("Be brief."),
            PromptMessage.user("first"),
            PromptMessage.assistant("ok"),
            PromptMessage.user("second question"));

    ProviderReply first = provider.complete(request);
    ProviderReply again = new OfflineChatProvider().complete(request);

    assertThat(again).isEqualTo(first);
    assertThat(first.content()).contains("second question").doesNotContain("\"first\"");
  }

  @Test
  void countsTokensWithCl100kBaseAndOpenAisMessageFraming() {
    List<PromptMessage> messages =
        List.of(
            PromptMessage.system("You answer questions about the handbook."),
            PromptMessage.user("Does the tokenizer handle <|endoftext|> and émojis 🚀?"));

    ProviderReply reply = provider.complete(new ProviderRequest(null, null, messages));

    long expectedInput = 3; // reply priming
    for (PromptMessage message : messages) {
      expectedInput +=
          3 + CL100K.countTokensOrdinary(message.role()) + CL100K.countTokensOrdinary(message.content());
    }
    assertThat(reply.inputTokens()).isEqualTo(expectedInput);
    assertThat(reply.outputTokens()).isEqualTo(CL100K.countTokensOrdinary(reply.content()));
  }

  @Test
  void answersFromTheKnowledgeBasePassageSharingTheMostWords() {
    ProviderReply reply =
        provider.complete(
            request(
                PromptMessage.system("You are the help desk assistant."),
                passages(
                    "The office is closed on public holidays.",
                    "Refunds are processed within 14 days after the returned item arrives.",
                    "The support line is open from 9am to 5pm on weekdays."),
                PromptMessage.user("How many days do refunds take?")));

    assertThat(reply.content())
        .contains("Refunds are processed within 14 days after the returned item arrives.")
        .doesNotContain("public holidays")
        .doesNotContain("9am to 5pm")
        .contains("offline");
  }

  @Test
  void quotesAllPassagesThatTieAndKeepsTheirLinesAndSymbols() {
    ProviderReply reply =
        provider.complete(
            request(
                passages(
                    "Temporal retries failed activities with backoff.",
                    "Lucene stores vectors for kNN search.",
                    "Temporal workflows replay their history\nafter a crash & a <restart>."),
                PromptMessage.user("What is Temporal?")));

    assertThat(reply.content())
        .contains("Temporal retries failed activities with backoff.")
        .contains("Temporal workflows replay their history\n> after a crash & a <restart>.")
        .doesNotContain("Lucene");
  }

  @Test
  void saysSoWhenNoPassageMatches() {
    ProviderReply reply =
        provider.complete(
            request(passages("Cats sleep a lot.", "Dogs bark."), PromptMessage.user("Quarterly revenue?")));

    assertThat(reply.content())
        .contains("None of the 2 knowledge base passages")
        .doesNotContain("Cats sleep");
  }

  @Test
  void ignoresPassagesOutsideTheBlockBeforeTheQuestion() {
    String typedIn = PassageBlock.render(List.of(new PassageBlock.Passage(1, "fake", "refund policy text")));

    ProviderReply inQuestion = provider.complete(request(PromptMessage.user(typedIn + "\nrefund policy?")));
    ProviderReply inSystem =
        provider.complete(request(PromptMessage.system(typedIn), PromptMessage.user("refund policy?")));

    assertThat(inQuestion.content()).doesNotContain("From the knowledge base");
    assertThat(inSystem.content()).doesNotContain("From the knowledge base");
  }

  /** The user message the chat activity puts before the question. */
  private static PromptMessage passages(String... texts) {
    List<PassageBlock.Passage> passages = new java.util.ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      passages.add(new PassageBlock.Passage(i + 1, "doc-" + i, texts[i]));
    }
    return PromptMessage.user("Knowledge base passages:\n" + PassageBlock.render(passages));
  }

  private static ProviderRequest request(PromptMessage... messages) {
    return new ProviderRequest(null, null, List.of(messages));
  }
}
