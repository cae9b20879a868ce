package dev.saturn.activities.kb.embedding;

import dev.saturn.activities.kb.vector.EmbeddingSpace;
import java.util.List;

/** Turns texts into vectors of one {@link EmbeddingSpace}; safe to share between threads. */
public interface Embedder {

  EmbeddingSpace space();

  /** {@code minilm} or {@code openai}: the usage event's provider. */
  String provider();

  /** One vector per text, in order. */
  List<float[]> embed(List<String> texts);

  /** Tokens of the text as this model's tokenizer counts them (or a close estimate). */
  int countTokens(String text);

  /** {@link #countTokens} of each text, in order; an implementation may share work between them. */
  default List<Integer> countTokens(List<String> texts) {
    return texts.stream().map(this::countTokens).toList();
  }

  /** False when {@link #countTokens} is an estimate rather than the model's own count. */
  boolean exactTokenCounts();
}
