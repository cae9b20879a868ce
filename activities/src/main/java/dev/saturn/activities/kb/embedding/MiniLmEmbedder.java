package dev.saturn.activities.kb.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import dev.saturn.activities.kb.text.WordTokenCounts;
import dev.saturn.activities.kb.vector.EmbeddingSpace;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (quantized) in process through ONNX Runtime: no network, 384 dimensions. Token
 * counts come from the model's own WordPiece tokenizer, so they are exact.
 *
 * <p>The model and tokenizer are langchain4j's ({@link AllMiniLmL6V2QuantizedEmbeddingModel}'s
 * files, its pooling, its per-text parallelism over one thread per core), in an ONNX session whose
 * worker threads sleep between runs instead of spinning: spinning doubled the CPU per chunk and, on
 * a shared two-core machine, halved the throughput and took the cores from the index writer and
 * the database (docs/benchmarks.md, knowledge base indexing).
 */
public class MiniLmEmbedder implements Embedder {

  public static final EmbeddingSpace SPACE = new EmbeddingSpace("all-minilm-l6-v2-q", 384);

  private final EmbeddingModel model = new Model();
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

  /** One ONNX session per process, as the library keeps it, built on first use. */
  private static final class Model extends AbstractInProcessEmbeddingModel {

    private static final String ONNX = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private Model() {
      super(null); // the library's default: texts embedded in parallel, one thread per core
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return Session.ENCODER;
    }

    @Override
    protected Integer knownDimension() {
      return SPACE.dimension();
    }

    private static final class Session {
      static final OnnxBertBiEncoder ENCODER = load();
    }

    private static OnnxBertBiEncoder load() {
      ClassLoader jar = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader();
      try (InputStream onnx = jar.getResourceAsStream(ONNX);
          InputStream tokenizer = jar.getResourceAsStream(TOKENIZER);
          OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        if (onnx == null || tokenizer == null) {
          throw new IllegalStateException(ONNX + " or " + TOKENIZER + " is missing from the classpath");
        }
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        return new OnnxBertBiEncoder(environment, environment.createSession(onnx.readAllBytes(), options), tokenizer,
            PoolingMode.MEAN);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the MiniLM model", e);
      } catch (OrtException e) {
        throw new IllegalStateException("cannot load the MiniLM model into ONNX Runtime", e);
      }
    }
  }

  /** The tokenizer, for the splitter: chunks are cut in the same tokens the model sees. */
  public HuggingFaceTokenCountEstimator tokenizer() {
    return tokens;
  }
}
