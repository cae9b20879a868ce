package dev.saturn.activities.kb.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.saturn.activities.kb.testing.TestDocuments;
import dev.saturn.workflows.kb.KbContentTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DocumentTextsTest {

  private final DocumentTexts texts = new DocumentTexts(KbParsingProperties.defaults());

  @Test
  void givenAMultiPagePdf_whenExtracted_itShouldHoldEveryPagesText() {
    byte[] pdf = TestDocuments.pdf(List.of("The first page talks about apples.", "The second page talks about the zebra codeword."));

    String text = texts.extract(KbContentTypes.PDF, pdf);

    assertThat(text).contains("apples").contains("zebra codeword");
  }

  @Test
  void givenADocx_whenExtracted_itShouldHoldItsParagraphs() {
    byte[] docx = TestDocuments.docx(List.of("Warranty lasts 24 months.", "Returns are accepted within 30 days."));

    assertThat(texts.extract(KbContentTypes.DOCX, docx)).contains("Warranty lasts 24 months").contains("30 days");
  }

  @Test
  void givenHtml_whenExtracted_itShouldKeepTextAndBlocksAndDropScripts() {
    String html = "<html><head><title>Guide</title><script>var secret = 1;</script></head>"
        + "<body><h1>Setup</h1><p>Plug it in.</p><ul><li>Step one</li><li>Step two</li></ul></body></html>";

    String text = texts.extract(KbContentTypes.HTML, html.getBytes(StandardCharsets.UTF_8));

    assertThat(text).startsWith("Guide").contains("Setup\nPlug it in.").contains("Step one\nStep two").doesNotContain("secret");
  }

  @Test
  void givenBytesThatAreNotAPdf_whenExtracted_itShouldFailNonRetryablyWithTheParsersReason() {
    assertThatThrownBy(() -> texts.extract(KbContentTypes.PDF, "%PDF-1.7 but broken".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("KB_INDEXING_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).startsWith("the application/pdf document could not be read: ");
        });
  }

  @Test
  void givenAnUnknownType_whenExtracted_itShouldFailAsUnsupported() {
    assertThatThrownBy(() -> texts.extract("image/png", new byte[] {1}))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("KB_UNSUPPORTED_TYPE"));
  }

  /** A real DOCX whose document.xml unpacks to 500 MB of one letter: about half a megabyte packed. */
  @Test
  void givenAZipBombDocx_whenExtracted_itShouldRefuseItQuicklyWithAClearMessage() {
    byte[] bomb = TestDocuments.docxWithBody(500L * 1024 * 1024, (byte) 'A');
    assertThat(bomb.length).as("small on disk").isLessThan(2 * 1024 * 1024);

    long started = System.nanoTime();
    assertThatThrownBy(() -> texts.extract(KbContentTypes.DOCX, bomb))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("KB_INDEXING_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).isEqualTo("a file inside the DOCX unpacks to more than 100 times its packed"
              + " size (saturn.kb.parsing.docx-min-inflate-ratio 0.01); refused as a possible zip bomb");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void givenADocxWithAnEntryOverTheSizeLimit_whenExtracted_itShouldRefuseItNamingTheSetting() {
    DocumentTexts small = new DocumentTexts(new KbParsingProperties(
        1, 0, 2000, 10_000_000, null, null, DataSize.ofMegabytes(1), 0.0));
    // Random letters pack to ~60 %: the ratio guard (switched off here anyway) would not catch it.
    byte[] large = TestDocuments.docxWithBody(3L * 1024 * 1024, (byte) 0);

    assertThatThrownBy(() -> small.extract(KbContentTypes.DOCX, large))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getOriginalMessage())
            .isEqualTo("a file inside the DOCX unpacks to more than saturn.kb.parsing.docx-max-entry-size (1 MB);"
                + " refused as a possible zip bomb"));
  }

  @Test
  void givenAPdfWithMorePagesThanAllowed_whenExtracted_itShouldRefuseItBeforeExtractingText() {
    byte[] pdf = TestDocuments.emptyPdf(5000);

    long started = System.nanoTime();
    assertThatThrownBy(() -> texts.extract(KbContentTypes.PDF, pdf))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("KB_INDEXING_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage())
              .isEqualTo("the PDF has 5000 pages, more than saturn.kb.parsing.max-pdf-pages (2000)");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void givenMoreTextThanAllowed_whenExtracted_itShouldRefuseItForEveryType() {
    DocumentTexts tight = new DocumentTexts(new KbParsingProperties(1, 0, 2000, 100, null, null, null, 0.01));
    String text = "word ".repeat(30);
    byte[] pdf = TestDocuments.pdf(List.of(text));
    byte[] docx = TestDocuments.docx(List.of(text));

    for (var document : List.of(
        Map.entry(KbContentTypes.TEXT, text.getBytes(StandardCharsets.UTF_8)),
        Map.entry(KbContentTypes.PDF, pdf),
        Map.entry(KbContentTypes.DOCX, docx))) {
      assertThatThrownBy(() -> tight.extract(document.getKey(), document.getValue()))
          .as(document.getKey())
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getOriginalMessage())
              .isEqualTo("the document has more than saturn.kb.parsing.max-chars (100) characters of text"));
    }
  }

  /** The pool interrupts a parse its activity gave up on; the PDF loop stops at its next step. */
  @Test
  void givenAnInterruptedThread_whenAPdfIsExtracted_itShouldStopInsteadOfParsingOn() {
    byte[] pdf = TestDocuments.pdf(List.of("one", "two", "three"));

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> texts.extract(KbContentTypes.PDF, pdf)).isInstanceOf(CancellationException.class);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void givenALongText_whenChunked_itShouldStayUnderTheTokenLimitAndOverlapNeighbours() {
    HuggingFaceTokenCountEstimator tokens = new HuggingFaceTokenCountEstimator();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      text.append("Sentence number ").append(i).append(" describes part ").append(i).append(" of the manual. ");
    }

    List<String> chunks = new Chunker(tokens).split(text.toString(), 50, 10);

    assertThat(chunks).hasSizeGreaterThan(5);
    assertThat(chunks).allSatisfy(c -> assertThat(tokens.estimateTokenCountInText(c)).isLessThanOrEqualTo(50));
    assertThat(chunks.get(1)).contains(chunks.get(0).substring(chunks.get(0).lastIndexOf("Sentence")).strip());
    assertThat(new Chunker(tokens).split(text.toString(), 50, 10)).isEqualTo(chunks);
  }
}
