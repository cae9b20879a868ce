package dev.saturn.workflows.kb;

/**
 * The document version was extracted and split, and its chunks stored.
 *
 * @param current false when the version is no longer the document's current one (reindexed again,
 *     or being deleted): the workflow stops without touching it
 */
public record KbPrepared(boolean current, int chunks, int batchSize) {

  public int batches() {
    return batchSize <= 0 ? 0 : (chunks + batchSize - 1) / batchSize;
  }
}
