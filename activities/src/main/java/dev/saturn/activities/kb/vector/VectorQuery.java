package dev.saturn.activities.kb.vector;

/**
 * @param vector the question's embedding
 * @param text the question itself, used for the keyword (BM25) half of a hybrid search
 * @param topK how many hits at most
 * @param hybrid fuse vector and keyword rankings (stores without keyword search use vectors only)
 * @param minScore hits whose cosine similarity is below this are dropped
 */
public record VectorQuery(float[] vector, String text, int topK, boolean hybrid, double minScore) {

  public VectorQuery {
    if (topK <= 0) {
      throw new IllegalArgumentException("topK must be positive");
    }
  }

  public static VectorQuery of(float[] vector, int topK) {
    return new VectorQuery(vector, null, topK, false, -1.0);
  }
}
