package dev.saturn.activities.kb.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.kb.embedding.MiniLmEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
  void givenOneUniquePassageAmongHundredsOfNearIdenticalOnes_whenSearched_itShouldRankItFirst() {
    // The chunks of KbWorkerCrashDurabilityIT's manual, committed 32 at a time as indexing does:
    // HNSW alone did not reach the one passage that answers the question.
    MiniLmEmbedder minilm = new MiniLmEmbedder();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 700; i += 2) {
      texts.add(IntStream.of(i, i + 1).mapToObj(n -> "Paragraph " + n + " of the operations manual describes procedure " + n
          + " for the night shift in some detail.").collect(Collectors.joining("\n\n")));
    }
    texts.add("The emergency generator password is marmalade-42.");
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += 32) {
      vectors.addAll(minilm.embed(texts.subList(i, Math.min(texts.size(), i + 32))));
    }
    try (LuceneVectorStore lucene = new LuceneVectorStore(root.resolve("manual"), MiniLmEmbedder.SPACE)) {
      for (int from = 0; from < texts.size(); from += 32) {
        List<VectorPoint> points = new ArrayList<>();
        for (int i = from; i < Math.min(texts.size(), from + 32); i++) {
          points.add(point("manual", 1, i, texts.get(i), vectors.get(i)));
        }
        lucene.upsert(A1, points);
      }

      List<VectorHit> hits = lucene.search(A1,
          VectorQuery.of(minilm.embed(List.of("What is the emergency generator password?")).get(0), 4));

      assertThat(hits).first().extracting(VectorHit::text).asString().contains("marmalade-42");
    }
  }

  @Test
  void givenAScopeSearchedBefore_whenPointsAreDeletedReplacedAndAddedInAnotherScope_itShouldSeeOnlyItsCurrentPoints() {
    LuceneVectorStore lucene = (LuceneVectorStore) store;
    store.upsert(A1, List.of(point("d1", 1, 0, "deleted later", axis(0)), point("d2", 1, 0, "replaced later", axis(1)),
        point("d3", 1, 0, "kept", axis(2))));
    assertThat(store.search(A1, VectorQuery.of(axis(0), 10))).extracting(VectorHit::text)
        .containsExactlyInAnyOrder("deleted later", "replaced later", "kept");
    long hitsBefore = lucene.scopeFilterCacheHits();

    // Same segment (its scope filter cached by the search above), with deletions on top of it now.
    store.deleteDocument(A1, "d1");
    store.upsert(A1, List.of(point("d2", 1, 0, "replacement", axis(1))));
    store.upsert(B1, List.of(point("d9", 1, 0, "company b", axis(0))));
    store.upsert(A2, List.of(point("d8", 1, 0, "another agent", axis(0))));

    assertThat(store.search(A1, VectorQuery.of(axis(0), 10))).extracting(VectorHit::text)
        .containsExactlyInAnyOrder("replacement", "kept");
    assertThat(store.search(A1, new VectorQuery(axis(0), "company agent deleted replaced", 10, true, -1)))
        .extracting(VectorHit::text).containsExactlyInAnyOrder("replacement", "kept");
    assertThat(store.count(A1)).isEqualTo(2);
    assertThat(lucene.scopeFilterCacheHits()).as("the first segment's scope filter came from the cache").isGreaterThan(hitsBefore);
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

  /** The cosine of a hit found by its words comes from the vector field (no stored copy of the vector). */
  @Test
  void givenHybridSearch_whenHitsComeFromBothRankings_itShouldScoreEachWithItsExactCosine() {
    store.upsert(A1, List.of(
        point("d1", 1, 0, "alpha", axis(0)),
        point("d1", 1, 1, "beta", mix(1, 0, 0.5f)),
        point("d1", 1, 2, "the invoice number is 4711", mix(5, 0, 0.25f))));
    store.upsert(A1, List.of(point("d1", 1, 3, "gamma", mix(2, 0, 2f))));

    List<VectorHit> hybrid = store.search(A1, new VectorQuery(axis(0), "invoice 4711", 4, true, -1));

    assertThat(hybrid).hasSize(4);
    for (VectorHit hit : hybrid) {
      float[] vector = switch (hit.chunkIndex()) {
        case 0 -> axis(0);
        case 1 -> mix(1, 0, 0.5f);
        case 2 -> mix(5, 0, 0.25f);
        default -> mix(2, 0, 2f);
      };
      assertThat(hit.score()).as("chunk %d", hit.chunkIndex())
          .isCloseTo(LuceneVectorStore.cosine(axis(0), vector), org.assertj.core.data.Offset.offset(1e-6));
    }
    assertThat(hybrid.get(0).chunkIndex()).isEqualTo(2); // first in the words' ranking, third in the vectors'
  }

  @Test
  void givenAnIndexWrittenWithFloatVectors_whenReopenedQuantized_itShouldSearchOldAndNewSegmentsAlike() {
    store.close();
    try (VectorStore old = new LuceneVectorStore(root, SPACE, LuceneVectorStore.Format.FLOAT)) {
      old.upsert(A1, List.of(point("d1", 1, 0, "written as floats", axis(0))));
    }
    store = new LuceneVectorStore(root, SPACE);
    store.upsert(A1, List.of(point("d2", 1, 0, "written quantized", axis(1))));

    assertThat(store.search(A1, VectorQuery.of(axis(0), 1))).extracting(VectorHit::text).containsExactly("written as floats");
    assertThat(store.search(A1, VectorQuery.of(axis(1), 1))).extracting(VectorHit::text).containsExactly("written quantized");
  }

  /**
   * The quantized graph only proposes candidates: the ranking and the scores are the exact cosines,
   * so the top hits of clustered random vectors match a brute-force search and its scores.
   */
  @Test
  void givenManyClusteredVectors_whenSearchedQuantized_itShouldRankAndScoreByTheExactCosine() {
    EmbeddingSpace space = new EmbeddingSpace("recall-model", 48);
    Random random = new Random(7);
    float[][] centres = new float[20][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = gaussian(random, 48, 1.0f, null);
    }
    float[][] vectors = new float[3000][];
    List<VectorPoint> points = new ArrayList<>();
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = gaussian(random, 48, 0.35f, centres[i % centres.length]);
      points.add(new VectorPoint("doc", 1, i, "t", "chunk " + i, vectors[i]));
    }
    try (VectorStore quantized = new LuceneVectorStore(root, space)) {
      for (int from = 0; from < points.size(); from += 500) {
        quantized.upsert(A1, points.subList(from, from + 500));
      }
      int found = 0;
      int queries = 40;
      for (int q = 0; q < queries; q++) {
        float[] ask = gaussian(random, 48, 0.35f, centres[q % centres.length]);
        List<Integer> truth = IntStream.range(0, vectors.length).boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -LuceneVectorStore.cosine(ask, vectors[i])))
            .limit(10).toList();
        List<VectorHit> hits = quantized.search(A1, VectorQuery.of(ask, 10));

        assertThat(hits).hasSize(10);
        for (VectorHit hit : hits) {
          assertThat(hit.score()).isCloseTo(LuceneVectorStore.cosine(ask, vectors[hit.chunkIndex()]), org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(hits).extracting(VectorHit::score).isSortedAccordingTo(Comparator.reverseOrder());
        found += (int) hits.stream().filter(h -> truth.contains(h.chunkIndex())).count();
      }
      assertThat(found / (double) (queries * 10)).as("recall@10").isGreaterThanOrEqualTo(0.95);
    }
  }

  private static float[] gaussian(Random random, int dimension, float spread, float[] around) {
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = (around == null ? 0 : around[d]) + spread * (float) random.nextGaussian();
    }
    return v;
  }
}
