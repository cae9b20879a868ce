package dev.saturn.activities.kb;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code saturn.kb}: the knowledge base's vector store, embedding model, and the defaults an agent's
 * {@code config.kb} overrides. (Upload limits are {@code saturn.kb.upload}, read by the API; blob
 * storage is {@code saturn.kb.blobs}, read by the db module.)
 *
 * @param vectorStore {@code lucene} (embedded, default) or {@code qdrant}
 * @param indexDir the Lucene index root; empty means {@code <data-dir>/kb-index}
 */
@Validated
@ConfigurationProperties("saturn.kb")
public record KbProperties(
    @DefaultValue("lucene") String vectorStore,
    Path indexDir,
    @DefaultValue Qdrant qdrant,
    @DefaultValue Embedding embedding,
    @DefaultValue Chunking chunking,
    @DefaultValue Retrieval retrieval) {

  public KbProperties {
    qdrant = qdrant == null ? new Qdrant(null, 6334, false, null, null, null) : qdrant;
    embedding = embedding == null ? new Embedding(null, null) : embedding;
    chunking = chunking == null ? new Chunking(200, 30, 128) : chunking;
    retrieval = retrieval == null ? new Retrieval(4, false, 0.0) : retrieval;
  }

  /**
   * @param host Qdrant's gRPC host
   * @param port its gRPC port (6334 by default; 6333 is REST)
   * @param tls use TLS
   * @param apiKey sent as the {@code api-key} header; blank for none
   * @param collectionPrefix collections are {@code <prefix><model>_<dimension>}
   */
  public record Qdrant(
      @DefaultValue("localhost") String host,
      @DefaultValue("6334") int port,
      @DefaultValue("false") boolean tls,
      String apiKey,
      @DefaultValue("saturn_kb_") String collectionPrefix,
      @DefaultValue("30s") Duration timeout) {

    public Qdrant {
      host = host == null || host.isBlank() ? "localhost" : host;
      collectionPrefix = collectionPrefix == null ? "saturn_kb_" : collectionPrefix;
      timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
    }

    @Override
    public String toString() {
      return "Qdrant[host=" + host + ", port=" + port + ", tls=" + tls + ", apiKey="
          + (apiKey == null || apiKey.isBlank() ? "<none>" : "****") + ", collectionPrefix=" + collectionPrefix + "]";
    }
  }

  /**
   * @param provider {@code minilm} (in process, default, no network) or {@code openai}
   */
  public record Embedding(@DefaultValue("minilm") String provider, @DefaultValue OpenAi openai) {

    public Embedding {
      provider = provider == null || provider.isBlank() ? "minilm" : provider;
      openai = openai == null ? new OpenAi(null, null, null, null, null) : openai;
    }
  }

  /**
   * Any server speaking OpenAI's embeddings API.
   *
   * @param dimensions the vector length; sent to the server (text-embedding-3-* shorten on request)
   *     and part of the collection key
   */
  public record OpenAi(
      @DefaultValue("https://api.openai.com/v1") String baseUrl,
      String apiKey,
      @DefaultValue("text-embedding-3-small") String model,
      @DefaultValue("1024") Integer dimensions,
      @DefaultValue("60s") Duration timeout) {

    public OpenAi {
      baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.openai.com/v1" : baseUrl;
      model = model == null || model.isBlank() ? "text-embedding-3-small" : model;
      dimensions = dimensions == null ? 1024 : dimensions;
      timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
    }

    @Override
    public String toString() {
      return "OpenAi[baseUrl=" + baseUrl + ", model=" + model + ", dimensions=" + dimensions + ", apiKey="
          + (apiKey == null || apiKey.isBlank() ? "<none>" : "****") + "]";
    }
  }

  /**
   * @param chunkTokens default longest chunk, in the embedding tokenizer's tokens
   * @param chunkOverlap default overlap of neighbouring chunks, in tokens
   * @param batchSize chunks per embedding batch (one activity and one index commit each; a crash
   *     redoes at most the batches in flight)
   */
  public record Chunking(
      @DefaultValue("200") int chunkTokens, @DefaultValue("30") int chunkOverlap, @DefaultValue("128") int batchSize) {}

  /**
   * @param topK default passages per turn
   * @param hybrid default for fusing BM25 with vectors
   * @param minScore default lowest cosine similarity kept
   */
  public record Retrieval(
      @DefaultValue("4") int topK, @DefaultValue("false") boolean hybrid, @DefaultValue("0.0") double minScore) {}
}
