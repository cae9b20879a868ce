package dev.saturn.activities.kb.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tuned session is the library's model: same vectors, same token counts. */
class MiniLmEmbedderTest {

  @Test
  void givenTexts_whenEmbedded_itShouldGiveTheLibraryModelsVectors() {
    List<String> texts = List.of(
        "Refunds are paid within 14 days of the return.",
        "The warranty covers parts and labour for two years.",
        "Shipping to Norway takes three to five working days, customs included.");
    MiniLmEmbedder embedder = new MiniLmEmbedder();

    List<float[]> ours = embedder.embed(texts);
    List<float[]> library = new AllMiniLmL6V2QuantizedEmbeddingModel()
        .embedAll(texts.stream().map(TextSegment::from).toList()).content().stream().map(e -> e.vector()).toList();

    assertThat(ours).hasSize(3);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(ours.get(i)).hasSize(MiniLmEmbedder.SPACE.dimension());
      assertThat(ours.get(i)).containsExactly(library.get(i), within(1e-5f));
    }
    assertThat(embedder.countTokens(texts)).containsExactlyElementsOf(texts.stream().map(embedder::countTokens).toList())
        .allSatisfy(n -> assertThat(n).isPositive());
  }
}
