package dev.saturn.activities.kb;

import dev.saturn.activities.kb.embedding.Embedder;
import dev.saturn.activities.kb.embedding.MiniLmEmbedder;
import dev.saturn.activities.kb.embedding.OpenAiEmbedder;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.kb.text.Chunker;
import dev.saturn.activities.kb.text.DocumentTexts;
import dev.saturn.activities.kb.text.KbParsingProperties;
import dev.saturn.activities.kb.vector.LuceneVectorStore;
import dev.saturn.activities.kb.vector.QdrantVectorStore;
import dev.saturn.activities.kb.vector.VectorStore;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.kb.BlobStore;
import dev.saturn.db.kb.KbChunkRepository;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.db.usage.UsageEventRepository;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The knowledge base's adapters, chosen by {@code saturn.kb}: the embedder (MiniLM in process, or
 * OpenAI-compatible) and the vector store (Lucene under the data dir, or Qdrant). Lazy, so a
 * process that never indexes or retrieves (an API-only node) never loads the ONNX model or opens
 * the index.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({KbProperties.class, KbParsingProperties.class})
public class KbConfig {

  private static final Logger log = LoggerFactory.getLogger(KbConfig.class);
  public static final String PARSE_POOL = "kbParsePool";

  @Bean
  @Lazy
  public Embedder kbEmbedder(KbProperties properties) {
    Embedder embedder = switch (properties.embedding().provider()) {
      case "minilm" -> new MiniLmEmbedder();
      case "openai" -> new OpenAiEmbedder(properties.embedding().openai());
      default -> throw new IllegalStateException(
          "saturn.kb.embedding.provider must be 'minilm' or 'openai', not '" + properties.embedding().provider() + "'");
    };
    log.info("kb embeddings: provider={} space={}", embedder.provider(), embedder.space().key());
    return embedder;
  }

  @Bean(destroyMethod = "close")
  @Lazy
  public VectorStore kbVectorStore(KbProperties properties, Embedder embedder, @Value("${saturn.data-dir:}") String dataDir) {
    VectorStore store = switch (properties.vectorStore()) {
      case "lucene" -> new LuceneVectorStore(indexDir(properties, dataDir), embedder.space());
      case "qdrant" -> {
        KbProperties.Qdrant q = properties.qdrant();
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(q.host(), q.port(), q.tls()).withTimeout(q.timeout());
        if (q.apiKey() != null && !q.apiKey().isBlank()) {
          grpc.withApiKey(q.apiKey());
        }
        yield new QdrantVectorStore(new QdrantClient(grpc.build()), embedder.space(), q.collectionPrefix(), q.timeout());
      }
      default -> throw new IllegalStateException(
          "saturn.kb.vector-store must be 'lucene' or 'qdrant', not '" + properties.vectorStore() + "'");
    };
    log.info("kb vector store: {} ({})", store.kind(), properties.vectorStore().equals("qdrant") ? properties.qdrant() : indexDir(properties, dataDir));
    return store;
  }

  static Path indexDir(KbProperties properties, String dataDir) {
    if (properties.indexDir() != null && !properties.indexDir().toString().isBlank()) {
      return properties.indexDir().toAbsolutePath().normalize();
    }
    return Path.of(dataDir == null || dataDir.isBlank() ? "./data" : dataDir).resolve("kb-index").toAbsolutePath().normalize();
  }

  @Bean
  public KbSettingsResolver kbSettings(AgentRepository agents, KbProperties properties) {
    return new KbSettingsResolver(agents, properties);
  }

  /** Documents being parsed; closed with the context, after the worker has drained. */
  @Bean(name = PARSE_POOL, destroyMethod = "close")
  public HeartbeatingPool kbParsePool(KbParsingProperties parsing) {
    return new HeartbeatingPool("kb-parse", parsing.threads(), parsing.queue());
  }

  /** Named like a scanned component: the worker registration list finds activity beans by that name. */
  @Bean
  @Lazy
  public KbIndexingActivitiesImpl kbIndexingActivitiesImpl(
      KbDocumentRepository documents, KbChunkRepository chunks, BlobStore blobs, UsageEventRepository usage,
      KbSettingsResolver settings, @Lazy Embedder embedder, @Lazy VectorStore vectors, TransactionTemplate transaction,
      Clock clock, KbProperties properties, KbParsingProperties parsing,
      @Qualifier(PARSE_POOL) HeartbeatingPool parsePool, ObjectProvider<MeterRegistry> meters) {
    Chunker chunker = new Chunker(embedder instanceof MiniLmEmbedder minilm ? minilm.tokenizer() : new HuggingFaceTokenCountEstimator());
    return new KbIndexingActivitiesImpl(documents, chunks, blobs, usage, settings, embedder, chunker,
        new DocumentTexts(parsing), parsePool, vectors, transaction, clock, properties.chunking().batchSize(),
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  @Lazy
  public KbRetrievalActivitiesImpl kbRetrievalActivitiesImpl(
      MessageRepository messages, KbDocumentRepository documents, TurnPassageRepository passages,
      UsageEventRepository usage, KbSettingsResolver settings, @Lazy Embedder embedder, @Lazy VectorStore vectors,
      Clock clock, ObjectProvider<MeterRegistry> meters) {
    return new KbRetrievalActivitiesImpl(messages, documents, passages, usage, settings, embedder, vectors, clock,
        meters.getIfAvailable(SimpleMeterRegistry::new));
  }
}
