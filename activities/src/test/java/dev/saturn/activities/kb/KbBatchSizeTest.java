package dev.saturn.activities.kb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.kb.KbIndexingWorkflow;
import dev.saturn.workflows.kb.KbPrepared;
import org.junit.jupiter.api.Test;

class KbBatchSizeTest {

  static int batches(int chunks, int maxBatch) {
    return new KbPrepared(true, chunks, KbIndexingActivitiesImpl.batchSizeFor(chunks, maxBatch)).batches();
  }

  @Test
  void givenAnUnevenLastBatch_whenSized_itShouldSpreadTheChunksOverAnEvenBatchCount() {
    assertThat(KbIndexingActivitiesImpl.batchSizeFor(301, 128)).isEqualTo(76);
    assertThat(batches(301, 128)).isEqualTo(4);
    assertThat(KbIndexingActivitiesImpl.batchSizeFor(100, 128)).as("one batch becomes two").isEqualTo(50);
    assertThat(KbIndexingActivitiesImpl.batchSizeFor(256, 128)).as("already even").isEqualTo(128);
  }

  @Test
  void givenLessThanAnEmbeddingGroupPerSlot_whenSized_itShouldStayOneBatch() {
    int small = KbIndexingWorkflow.BATCHES_AT_ONCE * KbIndexingActivitiesImpl.EMBED_GROUP - 1;
    assertThat(KbIndexingActivitiesImpl.batchSizeFor(small, 128)).isEqualTo(small);
    assertThat(KbIndexingActivitiesImpl.batchSizeFor(0, 128)).isEqualTo(128);
  }

  /** The next run starts at the batch number the last one handed over, maybe a run of the code before this sizing. */
  @Test
  void givenADocumentThatContinuesAsNew_whenSized_itShouldKeepTheMaximum() {
    // Balancing only changes the size while there are fewer than about two batches per chunk of
    // the maximum, so a large configured batch size is where a long document meets it.
    for (int max : new int[] {128, 1024}) {
      for (int chunks = 1; chunks <= (KbIndexingWorkflow.BATCHES_PER_RUN + 100) * max; chunks += 7) {
        int atMax = (chunks + max - 1) / max;
        if (atMax >= KbIndexingWorkflow.BATCHES_PER_RUN - 1) {
          assertThat(KbIndexingActivitiesImpl.batchSizeFor(chunks, max)).as("chunks %d, max %d", chunks, max).isEqualTo(max);
        } else {
          assertThat(batches(chunks, max)).as("one run, chunks %d, max %d", chunks, max)
              .isLessThan(KbIndexingWorkflow.BATCHES_PER_RUN);
        }
      }
    }
  }

  @Test
  void givenAnyChunkCount_whenSized_itShouldNeverExceedTheMaximumNorLeaveAnEmptyBatch() {
    for (int max : new int[] {4, 32, 128}) {
      for (int chunks = 1; chunks <= 3000; chunks++) {
        int size = KbIndexingActivitiesImpl.batchSizeFor(chunks, max);
        int count = batches(chunks, max);
        assertThat(size).as("chunks %d, max %d", chunks, max).isBetween(1, max);
        assertThat((count - 1) * size).as("the last batch has chunks: %d of max %d", chunks, max).isLessThan(chunks);
        if (max == 128 && chunks >= 2 * KbIndexingActivitiesImpl.EMBED_GROUP) {
          assertThat(count % KbIndexingWorkflow.BATCHES_AT_ONCE).as("chunks %d", chunks).isZero();
        }
      }
    }
  }
}
