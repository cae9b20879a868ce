package dev.saturn.activities.kb.text;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import java.util.List;

/**
 * langchain4j's recursive splitter (paragraphs, then lines, sentences, words), measuring in the
 * embedding model's tokens (a BERT WordPiece tokenizer, see {@link WordTokenCounts}), with overlap
 * between neighbours. Deterministic: the same text and
 * settings give the same chunks, so a retried prepare step writes the same rows.
 */
public final class Chunker {

  private final TokenCountEstimator tokens;

  public Chunker(TokenCountEstimator tokens) {
    this.tokens = tokens;
  }

  public List<String> split(String text, int maxTokens, int overlapTokens) {
    int overlap = Math.max(0, Math.min(overlapTokens, maxTokens / 2));
    // Counted word by word with a per-document cache: the same counts, a fraction of the tokenizer calls.
    DocumentSplitter splitter = DocumentSplitters.recursive(maxTokens, overlap, new WordTokenCounts(tokens));
    return splitter.split(Document.from(text)).stream()
        .map(TextSegment::text)
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
