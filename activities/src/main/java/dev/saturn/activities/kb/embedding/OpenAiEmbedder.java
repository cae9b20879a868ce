package dev.saturn.activities.kb.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.saturn.activities.kb.KbProperties;
import dev.saturn.activities.kb.vector.EmbeddingSpace;
import java.net.http.HttpClient;
import java.util.List;

/**
 * Any OpenAI-compatible embeddings endpoint. The client never retries in process: the batch
 * activity is retried by Temporal. Token counts for chunking and usage are estimated with a BERT
 * WordPiece tokenizer, so usage events from this embedder are marked estimated.
 */
public class OpenAiEmbedder implements Embedder {

  private final EmbeddingSpace space;
  private final EmbeddingModel model;
  private final HuggingFaceTokenCountEstimator tokens = new HuggingFaceTokenCountEstimator();

  public OpenAiEmbedder(KbProperties.OpenAi config) {
    this.space = new EmbeddingSpace(config.model(), config.dimensions());
    this.model = OpenAiEmbeddingModel.builder()
        .baseUrl(config.baseUrl())
        .apiKey(config.apiKey() == null || config.apiKey().isBlank() ? "none" : config.apiKey())
        .modelName(config.model())
        .dimensions(config.dimensions())
        .timeout(config.timeout())
        .maxRetries(0)
        .httpClientBuilder(JdkHttpClient.builder()
            .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
        .build();
  }

  @Override
  public EmbeddingSpace space() {
    return space;
  }

  @Override
  public String provider() {
    return "openai";
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = model.embedAll(texts.stream().map(TextSegment::from).toList())
        .content().stream().map(Embedding::vector).toList();
    for (float[] vector : vectors) {
      if (vector.length != space.dimension()) {
        throw new IllegalStateException("the embeddings server returned " + vector.length
            + " dimensions, configured " + space.dimension() + " (saturn.kb.embedding.openai.dimensions)");
      }
    }
    return vectors;
  }

  @Override
  public int countTokens(String text) {
    return tokens.estimateTokenCountInText(text);
  }

  @Override
  public boolean exactTokenCounts() {
    return false;
  }
}
