package dev.saturn.activities.kb.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.saturn.activities.kb.testing.TestDocuments;
import dev.saturn.workflows.kb.KbContentTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocumentTextsTest {

  @Test
  void givenAMultiPagePdf_whenExtracted_itShouldHoldEveryPagesText() {
    byte[] pdf = TestDocuments.pdf(List.of("The first page talks about apples.", "The second page talks about the zebra codeword."));

    String text = DocumentTexts.extract(KbContentTypes.PDF, pdf);

    assertThat(text).contains("apples").contains("zebra codeword");
  }

  @Test
  void givenADocx_whenExtracted_itShouldHoldItsParagraphs() {
    byte[] docx = TestDocuments.docx(List.of("Warranty lasts 24 months.", "Returns are accepted within 30 days."));

    assertThat(DocumentTexts.extract(KbContentTypes.DOCX, docx)).contains("Warranty lasts 24 months").contains("30 days");
  }

  @Test
  void givenHtml_whenExtracted_itShouldKeepTextAndBlocksAndDropScripts() {
    String html = "<html><head><title>Guide</title><script>var secret = 1;</script></head>"
        + "<body><h1>Setup</h1><p>Plug it in.</p><ul><li>Step one</li><li>Step two</li></ul></body></html>";

    String text = DocumentTexts.extract(KbContentTypes.HTML, html.getBytes(StandardCharsets.UTF_8));

    assertThat(text).startsWith("Guide").contains("Setup\nPlug it in.").contains("Step one\nStep two").doesNotContain("secret");
  }

  @Test
  void givenBytesThatAreNotAPdf_whenExtracted_itShouldFailNonRetryablyWithTheParsersReason() {
    assertThatThrownBy(() -> DocumentTexts.extract(KbContentTypes.PDF, "%PDF-1.7 but broken".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("KB_INDEXING_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).startsWith("the application/pdf document could not be read: ");
        });
  }

  @Test
  void givenAnUnknownType_whenExtracted_itShouldFailAsUnsupported() {
    assertThatThrownBy(() -> DocumentTexts.extract("image/png", new byte[] {1}))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("KB_UNSUPPORTED_TYPE"));
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
