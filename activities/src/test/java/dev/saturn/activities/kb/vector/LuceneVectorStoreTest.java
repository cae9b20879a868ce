package dev.saturn.activities.kb.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LuceneVectorStoreTest extends VectorStoreContract {

  Path root;

  @Override
  VectorStore open(EmbeddingSpace space) {
    try {
      root = Files.createTempDirectory("lucene-kb");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new LuceneVectorStore(root, space);
  }

  @Test
  void givenCommittedPoints_whenTheIndexIsReopened_itShouldStillHoldThem() {
    store.upsert(A1, List.of(point("d1", 1, 0, "durable", axis(0))));
    store.close();

    store = new LuceneVectorStore(root, SPACE);

    assertThat(store.search(A1, VectorQuery.of(axis(0), 1))).extracting(VectorHit::text).containsExactly("durable");
  }

  @Test
  void givenTwoSpaces_whenOpened_itShouldKeepThemInSeparateDirectories() {
    try (VectorStore other = new LuceneVectorStore(root, new EmbeddingSpace("other-model", 8))) {
      store.upsert(A1, List.of(point("d1", 1, 0, "in the contract space", axis(0))));

      assertThat(other.count(A1)).isZero();
      assertThat(Files.exists(root.resolve(SPACE.key()))).isTrue();
      assertThat(Files.exists(root.resolve("other_model_8"))).isTrue();
    }
  }

  @Test
  void givenHybridSearch_whenTheWordsMatchAChunkTheVectorRanksLow_itShouldBringItIntoTheResults() {
    store.upsert(A1, List.of(
        point("d1", 1, 0, "alpha", axis(0)),
        point("d1", 1, 1, "beta", mix(0, 1, 0.9f)),
        point("d1", 1, 2, "gamma", mix(0, 2, 1.0f)),
        point("d1", 1, 3, "the invoice number is 4711", axis(5))));

    List<VectorHit> vectorsOnly = store.search(A1, new VectorQuery(axis(0), "invoice 4711", 3, false, -1));
    List<VectorHit> hybrid = store.search(A1, new VectorQuery(axis(0), "invoice 4711", 3, true, -1));

    assertThat(vectorsOnly).extracting(VectorHit::chunkIndex).doesNotContain(3);
    assertThat(hybrid).extracting(VectorHit::chunkIndex).contains(3);
  }
}
