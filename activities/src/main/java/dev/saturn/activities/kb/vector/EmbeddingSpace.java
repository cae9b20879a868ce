package dev.saturn.activities.kb.vector;

import java.util.Locale;

/**
 * Which model made the vectors and how long they are. Collections (Qdrant) and index directories
 * (Lucene) are named by {@link #key()}, so vectors of two models never meet: switching models
 * means reindexing into a new space, never mixing.
 */
public record EmbeddingSpace(String model, int dimension) {

  public EmbeddingSpace {
    if (model == null || model.isBlank() || dimension <= 0) {
      throw new IllegalArgumentException("an embedding space needs a model name and a positive dimension");
    }
  }

  /** File-name and collection-name safe: lower case letters, digits, '_' only. */
  public String key() {
    return model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "") + "_" + dimension;
  }
}
