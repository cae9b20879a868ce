package dev.saturn.activities.kb.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VectorStore} must do; each store's test extends this and says how to open one.
 * Vectors are small (dimension 8) and hand-made so the expected order is known.
 */
abstract class VectorStoreContract {

  static final EmbeddingSpace SPACE = new EmbeddingSpace("contract-model", 8);
  static final KbScope A1 = KbScope.of("company-a", "agent-1");
  static final KbScope A2 = KbScope.of("company-a", "agent-2");
  static final KbScope B1 = KbScope.of("company-b", "agent-1");

  VectorStore store;

  abstract VectorStore open(EmbeddingSpace space);

  @BeforeEach
  void openStore() {
    store = open(SPACE);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static float[] axis(int i) {
    float[] v = new float[8];
    v[i] = 1f;
    return v;
  }

  static float[] mix(int i, int j, float weightOfJ) {
    float[] v = axis(i);
    v[j] = weightOfJ;
    return v;
  }

  static VectorPoint point(String doc, int version, int chunk, String text, float[] vector) {
    return new VectorPoint(doc, version, chunk, doc + " title", text, vector);
  }

  @Test
  void givenPoints_whenSearching_itShouldReturnTheNearestFirstWithCosineScores() {
    store.upsert(A1, List.of(
        point("d1", 1, 0, "about cats", axis(0)),
        point("d1", 1, 1, "about dogs", axis(1)),
        point("d1", 1, 2, "mostly cats", mix(0, 1, 0.5f))));

    List<VectorHit> hits = store.search(A1, VectorQuery.of(axis(0), 3));

    assertThat(hits).extracting(VectorHit::chunkIndex).containsExactly(0, 2, 1);
    assertThat(hits.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(hits.get(1).score()).isCloseTo(1 / Math.sqrt(1.25), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(hits.get(2).score()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(hits.get(0)).extracting(VectorHit::documentId, VectorHit::version, VectorHit::title, VectorHit::text)
        .containsExactly("d1", 1, "d1 title", "about cats");
  }

  @Test
  void givenTheSamePointTwice_whenUpserting_itShouldOverwriteNotDuplicate() {
    store.upsert(A1, List.of(point("d1", 1, 0, "first text", axis(0))));
    store.upsert(A1, List.of(point("d1", 1, 0, "second text", axis(0))));

    assertThat(store.count(A1)).isEqualTo(1);
    assertThat(store.search(A1, VectorQuery.of(axis(0), 5))).extracting(VectorHit::text).containsExactly("second text");
  }

  @Test
  void givenTopK_whenSearching_itShouldReturnAtMostK() {
    List<VectorPoint> points = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      points.add(point("d1", 1, i, "chunk " + i, mix(0, 1 + i % 7, 0.1f * i)));
    }
    store.upsert(A1, points);

    assertThat(store.search(A1, VectorQuery.of(axis(0), 5))).hasSize(5);
  }

  @Test
  void givenAMinimumScore_whenSearching_itShouldDropWeakerHits() {
    store.upsert(A1, List.of(point("d1", 1, 0, "near", axis(0)), point("d1", 1, 1, "far", axis(1))));

    List<VectorHit> hits = store.search(A1, new VectorQuery(axis(0), "near", 5, false, 0.5));

    assertThat(hits).extracting(VectorHit::text).containsExactly("near");
  }

  @Test
  void givenIdenticalChunksInTwoCompanies_whenCompanyBSearches_itShouldNeverSeeCompanyAsChunks() {
    store.upsert(A1, List.of(point("doc-of-a", 1, 0, "the secret formula", axis(3))));
    store.upsert(B1, List.of(point("doc-of-b", 1, 0, "the secret formula", axis(3))));

    assertThat(store.search(B1, VectorQuery.of(axis(3), 10))).extracting(VectorHit::documentId).containsExactly("doc-of-b");
    assertThat(store.search(B1, new VectorQuery(axis(3), "secret formula", 10, true, -1)))
        .extracting(VectorHit::documentId).containsExactly("doc-of-b");
    assertThat(store.search(A1, VectorQuery.of(axis(3), 10))).extracting(VectorHit::documentId).containsExactly("doc-of-a");
    assertThat(store.count(B1)).isEqualTo(1);
  }

  @Test
  void givenTwoAgentsOfOneCompany_whenOneSearches_itShouldSeeOnlyItsOwnChunks() {
    store.upsert(A1, List.of(point("doc-1", 1, 0, "shared words", axis(2))));
    store.upsert(A2, List.of(point("doc-2", 1, 0, "shared words", axis(2))));

    assertThat(store.search(A2, VectorQuery.of(axis(2), 10))).extracting(VectorHit::documentId).containsExactly("doc-2");
    assertThat(store.search(A1, VectorQuery.of(axis(2), 10))).extracting(VectorHit::documentId).containsExactly("doc-1");
  }

  @Test
  void givenAnotherCompanysScope_whenDeleting_itShouldDeleteNothingOfTheOwner() {
    store.upsert(A1, List.of(point("doc-1", 1, 0, "kept", axis(0))));

    store.deleteDocument(B1, "doc-1");
    store.deleteVersion(A2, "doc-1", 1);

    assertThat(store.count(A1)).isEqualTo(1);
  }

  @Test
  void givenTwoVersions_whenDeletingOne_itShouldKeepTheOther() {
    store.upsert(A1, List.of(point("doc-1", 1, 0, "old", axis(0)), point("doc-1", 1, 1, "old too", axis(1))));
    store.upsert(A1, List.of(point("doc-1", 2, 0, "new", axis(0))));
    store.upsert(A1, List.of(point("doc-2", 1, 0, "other", axis(0))));

    store.deleteVersion(A1, "doc-1", 1);

    assertThat(store.search(A1, VectorQuery.of(axis(0), 10)))
        .extracting(h -> h.documentId() + "@" + h.version() + "#" + h.chunkIndex())
        .containsExactlyInAnyOrder("doc-1@2#0", "doc-2@1#0");
  }

  @Test
  void givenThreeVersions_whenDeletingThoseBelowTheNewest_itShouldKeepOnlyTheNewestOfThatDocument() {
    store.upsert(A1, List.of(point("doc-1", 1, 0, "v1", axis(0)), point("doc-1", 2, 0, "v2", axis(0)),
        point("doc-1", 3, 0, "v3", axis(0)), point("doc-2", 1, 0, "other", axis(0))));
    store.upsert(B1, List.of(point("doc-1", 1, 0, "b's", axis(0))));

    store.deleteVersionsBelow(A1, "doc-1", 3);

    assertThat(store.search(A1, VectorQuery.of(axis(0), 10)))
        .extracting(h -> h.documentId() + "@" + h.version())
        .containsExactlyInAnyOrder("doc-1@3", "doc-2@1");
    assertThat(store.count(B1)).isEqualTo(1);
  }

  @Test
  void givenADocument_whenDeletingIt_itShouldRemoveEveryVersionAndNothingElse() {
    store.upsert(A1, List.of(point("doc-1", 1, 0, "v1", axis(0)), point("doc-1", 2, 0, "v2", axis(0)),
        point("doc-2", 1, 0, "other", axis(0))));

    store.deleteDocument(A1, "doc-1");

    assertThat(store.search(A1, VectorQuery.of(axis(0), 10))).extracting(VectorHit::documentId).containsExactly("doc-2");
    assertThat(store.count(A1)).isEqualTo(1);
  }

  @Test
  void givenHybridQuery_whenAKeywordMatchesAChunkFarInVectorSpace_itShouldStillReturnTheNearestAndNotLeakScope() {
    store.upsert(A1, List.of(
        point("d1", 1, 0, "refund policy thirty days", axis(0)),
        point("d1", 1, 1, "shipping takes a week", axis(1))));
    store.upsert(B1, List.of(point("d9", 1, 0, "refund policy thirty days", axis(0))));

    List<VectorHit> hits = store.search(A1, new VectorQuery(axis(0), "refund policy", 2, true, -1));

    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).chunkIndex()).isZero();
    assertThat(hits).extracting(VectorHit::documentId).containsOnly("d1");
  }

  @Test
  void givenAVectorOfTheWrongDimension_whenUpserting_itShouldRefuseIt() {
    assertThatThrownBy(() -> store.upsert(A1, List.of(point("d1", 1, 0, "x", new float[3]))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenAScopeWithoutAnAgent_whenBuilt_itShouldBeRefused() {
    assertThatThrownBy(() -> KbScope.of("company-a", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KbScope(null, "agent")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenManyRandomPoints_whenSearching_itShouldAgreeWithExactSearchOnTheBest() {
    Random random = new Random(7);
    List<VectorPoint> points = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      float[] v = new float[8];
      for (int d = 0; d < 8; d++) {
        v[d] = (float) random.nextGaussian();
      }
      points.add(point("d1", 1, i, "chunk " + i, v));
    }
    store.upsert(A1, points);
    float[] query = points.get(42).vector();

    VectorHit best = store.search(A1, VectorQuery.of(query, 1)).get(0);

    assertThat(best.chunkIndex()).isEqualTo(42);
  }
}
