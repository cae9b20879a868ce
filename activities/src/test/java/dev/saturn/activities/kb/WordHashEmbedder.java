package dev.saturn.activities.kb;

import dev.saturn.activities.kb.embedding.Embedder;
import dev.saturn.activities.kb.vector.EmbeddingSpace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic stand-in for an embedding model: each word adds to one of 511 dimensions, so texts
 * that share words are close. Records every text it embeds, so tests can count calls per chunk.
 */
public class WordHashEmbedder implements Embedder {

  static final int DIMENSION = 512;

  static final EmbeddingSpace SPACE = new EmbeddingSpace("word-hash", DIMENSION);

  public final List<String> embedded = Collections.synchronizedList(new ArrayList<>());

  @Override
  public EmbeddingSpace space() {
    return SPACE;
  }

  @Override
  public String provider() {
    return "test";
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    embedded.addAll(texts);
    List<float[]> out = new ArrayList<>();
    for (String text : texts) {
      float[] v = new float[DIMENSION];
      v[DIMENSION - 1] = 0.01f;
      for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (word.length() > 2) {
          int h = word.hashCode() * 0x9E3779B1;
          v[Math.floorMod(h ^ (h >>> 15), DIMENSION - 1)] += 1f;
        }
      }
      out.add(v);
    }
    return out;
  }

  @Override
  public int countTokens(String text) {
    return text.isBlank() ? 0 : text.strip().split("\\s+").length;
  }

  @Override
  public boolean exactTokenCounts() {
    return true;
  }
}
