package dev.saturn.activities.kb.vector;

import java.util.List;

/**
 * Where chunk vectors live, bound to one {@link EmbeddingSpace}. Every read and every delete names
 * the company and the agent through a {@link KbScope}: the implementations filter on both, so a
 * search for one tenant can never return another's chunks, even with identical text.
 */
public interface VectorStore extends AutoCloseable {

  /** {@code "lucene"} or {@code "qdrant"}. */
  String kind();

  EmbeddingSpace space();

  /** Writes the points under {@code scope}; a point with an existing id is replaced. Durable on return. */
  void upsert(KbScope scope, List<VectorPoint> points);

  /**
   * Like {@link #upsert}, but durable (and searchable) only after the next {@link #commit}, so a
   * caller writing many groups pays for durability once. A store whose every write is durable
   * anyway (Qdrant waits for each upsert) just upserts.
   */
  default void upsertUncommitted(KbScope scope, List<VectorPoint> points) {
    upsert(scope, points);
  }

  /** Makes every {@link #upsertUncommitted} before it durable and searchable. */
  default void commit() {}

  /** The best hits of the scope, best first. */
  List<VectorHit> search(KbScope scope, VectorQuery query);

  /** Removes one version of a document's chunks. */
  void deleteVersion(KbScope scope, String documentId, int version);

  /** Removes the chunks of every version of a document below {@code version}: the cleanup after a switch. */
  void deleteVersionsBelow(KbScope scope, String documentId, int version);

  /** Removes every version of a document's chunks. */
  void deleteDocument(KbScope scope, String documentId);

  /** How many points the scope holds (all documents and versions). */
  long count(KbScope scope);

  @Override
  void close();
}
