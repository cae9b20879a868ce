package dev.saturn.workflows.kb;

import io.temporal.activity.ActivityInterface;

/** The steps of indexing and deleting a document; each is idempotent (see the implementation). */
@ActivityInterface
public interface KbIndexingActivities {

  /** uploaded → indexing; extracts the text, splits it, stores the chunks (once) and the total. */
  KbPrepared prepare(KbDocumentRef ref);

  /** Embeds and upserts one batch of chunks, heartbeating; records the batch's usage once. */
  KbBatchResult embedBatch(KbBatchInput in);

  /** indexing → ready: retrieval switches to this version. */
  KbActivated activate(KbDocumentRef ref);

  /**
   * Removes the vectors and chunks of every version below this one. Called after the switch, and
   * idempotent even when the attempt that switched was lost: it needs no memory of what was served.
   */
  void deleteOlderVersions(KbDocumentRef ref);

  /** Removes one version's vectors and chunks. */
  void deleteVersion(KbDocumentRef ref);

  /** indexing → failed with the error code and reason. */
  void fail(KbFailInput in);

  /** Removes every vector of the document. */
  void deleteVectors(KbDeleteInput in);

  /** Removes the document's chunks, bytes and row. */
  void deleteRecord(KbDeleteInput in);
}
