package dev.saturn.activities.kb.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.saturn.activities.kb.text.WordTokenCounts;
import dev.saturn.activities.kb.vector.EmbeddingSpace;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized) in process through ONNX Runtime: no network, 384 dimensions. Token
 * counts come from the model's own WordPiece tokenizer, so they are exact.
 */
public class MiniLmEmbedder implements Embedder {

  public static final EmbeddingSpace SPACE = new EmbeddingSpace("all-minilm-l6-v2-q", 384);

  private final EmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();
  private final HuggingFaceTokenCountEstimator tokens = new HuggingFaceTokenCountEstimator();

  @Override
  public EmbeddingSpace space() {
    return SPACE;
  }

  @Override
  public String provider() {
    return "minilm";
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    return model.embedAll(segments).content().stream().map(Embedding::vector).toList();
  }

  @Override
  public int countTokens(String text) {
    return tokens.estimateTokenCountInText(text);
  }

  /** The chunks of one document share most words (overlaps, vocabulary): each is tokenized once. */
  @Override
  public List<Integer> countTokens(List<String> texts) {
    WordTokenCounts counts = new WordTokenCounts(tokens);
    return texts.stream().map(counts::estimateTokenCountInText).toList();
  }

  @Override
  public boolean exactTokenCounts() {
    return true;
  }

  /** The tokenizer, for the splitter: chunks are cut in the same tokens the model sees. */
  public HuggingFaceTokenCountEstimator tokenizer() {
    return tokens;
  }
}
