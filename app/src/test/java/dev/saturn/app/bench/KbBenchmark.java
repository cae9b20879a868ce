package dev.saturn.app.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.kb.KbIndexingActivitiesImpl;
import dev.saturn.activities.kb.KbProperties;
import dev.saturn.activities.kb.KbSettingsResolver;
import dev.saturn.activities.kb.embedding.Embedder;
import dev.saturn.activities.kb.embedding.MiniLmEmbedder;
import dev.saturn.activities.kb.text.Chunker;
import dev.saturn.activities.kb.text.DocumentTexts;
import dev.saturn.activities.kb.text.KbParsingProperties;
import dev.saturn.activities.kb.vector.EmbeddingSpace;
import dev.saturn.activities.kb.vector.KbScope;
import dev.saturn.activities.kb.vector.LuceneVectorStore;
import dev.saturn.activities.kb.vector.VectorHit;
import dev.saturn.activities.kb.vector.VectorPoint;
import dev.saturn.activities.kb.vector.VectorQuery;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.db.agents.AgentRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.kb.DatabaseBlobStore;
import dev.saturn.db.kb.KbChunkRepository;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.KbDocumentRow;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.kb.KbContentTypes;
import dev.saturn.workflows.kb.KbIndexInput;
import dev.saturn.workflows.kb.KbIndexResult;
import dev.saturn.workflows.kb.KbIndexingWorkflow;
import dev.saturn.workflows.kb.KbIndexingWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knowledge-base benchmark (docs/benchmarks.md, run with bench/kb.sh; not a test):
 *
 * <ol>
 *   <li>Indexing throughput: one generated document indexed by the real {@code KbIndexingWorkflow}
 *       (Temporal's in-process test server, the real activities, MariaDB, the Lucene store and
 *       MiniLM), in chunks/s, against the raw embedding model's chunks/s on the same chunks, in the
 *       same run.
 *   <li>Retrieval at 10k and 100k chunks: p50/p99 latency and recall@10 of the Lucene store (HNSW)
 *       against langchain4j's {@code InMemoryEmbeddingStore} (exact), on synthetic clustered unit
 *       vectors of dimension 384; the exact store's answers are the ground truth.
 * </ol>
 */
public final class KbBenchmark {

  private KbBenchmark() {}

  public static void main(String[] args) throws Exception {
    int indexChunks = 400;
    Integer batchSize = null;
    int rounds = 3;
    Integer warmupRounds = null;
    boolean librarySession = true;
    List<Integer> sizes = List.of(10_000, 100_000);
    int queries = 200;
    Path out = Path.of("bench-results");
    boolean skipIndexing = false;
    boolean skipRetrieval = false;
    List<LuceneVectorStore.Format> formats = List.of(LuceneVectorStore.Format.values());
    for (String arg : args) {
      if (arg.startsWith("--index-chunks=")) {
        indexChunks = Integer.parseInt(arg.substring("--index-chunks=".length()));
      } else if (arg.startsWith("--batch-size=")) {
        batchSize = Integer.parseInt(arg.substring("--batch-size=".length()));
      } else if (arg.startsWith("--rounds=")) {
        rounds = Integer.parseInt(arg.substring("--rounds=".length()));
      } else if (arg.startsWith("--warmup-rounds=")) {
        warmupRounds = Integer.parseInt(arg.substring("--warmup-rounds=".length()));
      } else if (arg.equals("--skip-library-session")) {
        librarySession = false;
      } else if (arg.startsWith("--sizes=")) {
        sizes = Arrays.stream(arg.substring("--sizes=".length()).split(",")).map(Integer::parseInt).toList();
      } else if (arg.startsWith("--queries=")) {
        queries = Integer.parseInt(arg.substring("--queries=".length()));
      } else if (arg.startsWith("--out=")) {
        out = Path.of(arg.substring("--out=".length()));
      } else if (arg.equals("--skip-indexing")) {
        skipIndexing = true;
      } else if (arg.startsWith("--formats=")) {
        formats = Arrays.stream(arg.substring("--formats=".length()).split(","))
            .map(f -> LuceneVectorStore.Format.valueOf(f.toUpperCase(Locale.ROOT))).toList();
      } else if (arg.equals("--skip-retrieval")) {
        skipRetrieval = true;
      } else if (arg.startsWith("--data-dir=")) {
        // accepted for symmetry with the other bench script; the index lives in a temp dir
      } else {
        System.err.println("usage: KbBenchmark [--index-chunks=N] [--batch-size=N] [--rounds=N] [--warmup-rounds=N] [--skip-library-session] [--sizes=10000,100000] [--queries=N] [--formats=int7_quantized,float] [--out=DIR] [--skip-indexing] [--skip-retrieval]");
        System.exit(2);
      }
    }
    StringBuilder report = new StringBuilder();
    StringBuilder csv = new StringBuilder("part,store_or_mode,size,metric,value\n");
    String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    report.append("# Knowledge-base benchmark, ").append(stamp).append("\n\n")
        .append("JVM ").append(System.getProperty("java.version")).append(", ")
        .append(Runtime.getRuntime().availableProcessors()).append(" CPUs, max heap ")
        .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MiB\n\n");
    if (!skipIndexing) {
      indexing(indexChunks, batchSize, rounds, warmupRounds == null ? warmupRoundsFor(indexChunks) : warmupRounds,
          librarySession, report, csv);
      System.out.println(report);
    }
    if (!skipRetrieval) {
      retrieval(sizes, queries, formats, report, csv);
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("kb-" + stamp + ".md"), report.toString());
    Files.writeString(out.resolve("kb-" + stamp + ".csv"), csv.toString());
    System.out.println(report);
    System.out.println("[bench] wrote " + out.resolve("kb-" + stamp + ".md"));
    System.exit(0);
  }

  // ---------------------------------------------------------------- indexing

  static String document(int paragraphs) {
    Random random = new Random(11);
    String[] words = ("policy customer invoice warranty shipping refund account manager report quarter team "
        + "process review contract supplier order payment delivery product service support ticket budget plan")
        .split(" ");
    StringBuilder text = new StringBuilder();
    for (int p = 0; p < paragraphs; p++) {
      for (int s = 0; s < 6; s++) {
        text.append(Character.toUpperCase(words[random.nextInt(words.length)].charAt(0)))
            .append(words[random.nextInt(words.length)].substring(1));
        for (int w = 0; w < 11; w++) {
          text.append(' ').append(words[random.nextInt(words.length)]);
        }
        text.append(" number ").append(p * 6 + s).append(". ");
      }
      text.append("\n\n");
    }
    return text.toString();
  }

  static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /**
   * One measured phase: wall and process CPU seconds for a number of chunks, and the part of that
   * CPU the JIT compiler threads spent (a warm-up cost, reported apart as the chat benchmark does).
   */
  record Phase(String name, int chunks, double wallSeconds, double cpuSeconds, double jitSeconds) {
    /** The clocks at a phase's start; {@link Start#end} makes the phase. */
    record Start(long wallNanos, double cpuSeconds, long jitNanos) {
      Phase end(String name, int chunks) {
        return new Phase(name, chunks, (System.nanoTime() - wallNanos) / 1e9, KbBenchmark.cpuSeconds() - cpuSeconds,
            (CpuMeter.jitNanos() - jitNanos) / 1e9);
      }
    }

    static Start start() {
      return new Start(System.nanoTime(), KbBenchmark.cpuSeconds(), CpuMeter.jitNanos());
    }

    double chunksPerSecond() {
      return chunks / wallSeconds;
    }

    double cpuMsPerChunk() {
      return 1000 * cpuSeconds / chunks;
    }

    double jitMsPerChunk() {
      return 1000 * jitSeconds / chunks;
    }
  }

  /** Chunks a worker indexes before it is measured, by default: about two minutes of indexing here. */
  static final int WARMUP_CHUNKS = 12_000;

  /**
   * Warm-up rounds that index about {@link #WARMUP_CHUNKS} (a round's document has ~2 chunks per
   * {@code --index-chunks}), at least 3. Lucene's flush, merge and commit code runs a few times per
   * round, so the JIT reaches it slowly: after 3 rounds of 300 chunks its compiler threads still
   * took 1.0–2.4 CPU ms per chunk of a round's ~18, after 40 rounds 0.3–1.0 (docs/benchmarks.md).
   */
  static int warmupRoundsFor(int indexChunks) {
    return Math.max(3, WARMUP_CHUNKS / Math.max(1, 2 * indexChunks));
  }

  /**
   * @param batchSize chunks per embedBatch activity; null for the platform default
   * @param rounds interleaved rounds (the median ratio is reported)
   * @param warmupRounds workflow runs before the measured rounds, not measured: a worker indexes
   *     for hours, so its JIT has compiled the Lucene, Temporal and JDBC paths, which in a cold
   *     JVM cost more CPU than Lucene itself during the first rounds (see {@link #warmupRoundsFor})
   * @param librarySession also time langchain4j's own session each round (the old baseline)
   */
  static void indexing(int targetChunks, Integer batchSize, int rounds, int warmupRounds, boolean librarySession,
      StringBuilder report, StringBuilder csv) throws Exception {
    System.out.println("[bench] indexing: starting MariaDB, MiniLM, Temporal test server");
    Clock clock = Clock.systemUTC();
    try (TestDatabase database = TestDatabase.create()) {
      var db = database.dsl();
      CompanyId company = Fixtures.company(db);
      String agentId = Fixtures.agent(db, company, "{\"provider\":\"offline\"}");
      MiniLmEmbedder embedder = new MiniLmEmbedder();
      TimedEmbedder timed = new TimedEmbedder(embedder);
      KbProperties defaults = new KbProperties(null, null, null, null, null, null);
      KbProperties properties = batchSize == null ? defaults : new KbProperties(null, null, null, null,
          new KbProperties.Chunking(defaults.chunking().chunkTokens(), defaults.chunking().chunkOverlap(), batchSize), null);
      Path indexDir = Files.createTempDirectory("kb-bench-index");
      TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
      try (LuceneVectorStore store = new LuceneVectorStore(indexDir, embedder.space());
          HeartbeatingPool parsing = new HeartbeatingPool("kb-parse", 2, 100)) {
        KbDocumentRepository documents = new KbDocumentRepository(db, clock);
        KbChunkRepository chunks = new KbChunkRepository(db);
        DatabaseBlobStore blobs = new DatabaseBlobStore(db, clock);
        KbIndexingActivitiesImpl activities = new KbIndexingActivitiesImpl(documents, chunks, blobs,
            new UsageEventRepository(db, clock), new KbSettingsResolver(new AgentRepository(db, clock), properties),
            timed, new Chunker(new HuggingFaceTokenCountEstimator()), new DocumentTexts(KbParsingProperties.defaults()),
            parsing, store, database.transactions(), clock, properties.chunking().batchSize(), new SimpleMeterRegistry(),
            TestWebhookFacts.over(db, clock));
        Worker worker = env.newWorker(TaskQueues.KB);
        worker.registerWorkflowImplementationTypes(KbIndexingWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        env.start();
        embedder.embed(List.of("warm up the model"));

        // Interleaved rounds (raw, workflow, raw, workflow, ...) so machine load hits both alike.
        List<List<Phase>> raw = new ArrayList<>();
        List<Double> embedShare = new ArrayList<>();
        List<Phase> libraryRaw = new ArrayList<>();
        AllMiniLmL6V2QuantizedEmbeddingModel library = new AllMiniLmL6V2QuantizedEmbeddingModel();
        library.embed("warm up the library's session");
        List<Double> untilFirstEmbed = new ArrayList<>();
        List<Phase> indexed = new ArrayList<>();
        double avgTokens = 0;
        for (int round = -warmupRounds; round < rounds; round++) {
          // ~2 paragraphs of 6 sentences make one 200-token chunk; each round its own document.
          byte[] bytes = document(targetChunks * 2 + round + warmupRounds).getBytes(StandardCharsets.UTF_8);
          String documentId = Ids.newId();
          Instant now = clock.instant();
          documents.insert(company, new KbDocumentRow(documentId, company.value(), agentId, "bench.txt",
              KbContentTypes.TEXT, bytes.length, blobs.put(company, documentId, bytes), "uploaded", 1, null, null, 0,
              null, null, null, now, now, null));
          KbIndexingWorkflow workflow = env.getWorkflowClient().newWorkflowStub(KbIndexingWorkflow.class,
              WorkflowOptions.newBuilder().setWorkflowId("kb-index:" + documentId + ":1").setTaskQueue(TaskQueues.KB).build());
          timed.reset();
          Phase.Start start = Phase.start();
          KbIndexResult result = workflow.index(new KbIndexInput(company.value(), agentId, documentId, 1, 0));
          Phase indexing = start.end("workflow", result.chunks());
          if (round < 0) {
            System.out.printf(Locale.ROOT, "[bench] warm-up round: %d chunks in %.1f s (not measured)%n", result.chunks(),
                indexing.wallSeconds());
            continue;
          }
          indexed.add(indexing);
          embedShare.add(timed.embedNanos.get() / 1e9 / indexing.wallSeconds());
          untilFirstEmbed.add((timed.firstCall.get() - start.wallNanos()) / 1e9);

          List<String> texts = chunks.range(company, documentId, 1, 0, result.chunks()).stream().map(c -> c.content()).toList();
          avgTokens = texts.stream().mapToInt(embedder::countTokens).average().orElse(0);
          // The bare model at several group sizes: the pipeline's (16) and its neighbours, so the
          // ratio can be taken against the model's best, not only against the pipeline's choice.
          List<Phase> raws = new ArrayList<>();
          for (int group : RAW_GROUPS) {
            Phase.Start rawStart = Phase.start();
            for (int i = 0; i < texts.size(); i += group) {
              embedder.embed(texts.subList(i, Math.min(texts.size(), i + group)));
            }
            raws.add(rawStart.end("raw-" + group, texts.size()));
          }
          raw.add(raws);
          // The library's own session (ONNX threads spinning between runs), as SATURN used it before.
          if (!librarySession) {
            libraryRaw.add(null);
            System.out.println("[bench] round " + round + ": " + indexed.get(round) + " " + raw.get(round));
            continue;
          }
          Phase.Start libraryStart = Phase.start();
          for (int i = 0; i < texts.size(); i += 16) {
            library.embedAll(texts.subList(i, Math.min(texts.size(), i + 16)).stream().map(TextSegment::from).toList());
          }
          libraryRaw.add(libraryStart.end("raw-library-session-16", texts.size()));
          System.out.println("[bench] round " + round + ": " + indexed.get(round) + " " + raw.get(round));
        }

        report.append("## Indexing throughput\n\n")
            .append(rounds).append(" rounds, interleaved, after ").append(warmupRounds)
            .append(" unmeasured warm-up run(s) of the workflow; each round indexes its own text document of ")
            .append(indexed.get(0).chunks()).append(" chunks of ~").append(Math.round(avgTokens))
            .append(" tokens (chunk_tokens 200, overlap 30, batches of at most ").append(properties.chunking().batchSize())
            .append(", their count rounded up to a multiple of the two in flight, committed once each, embedded in groups of 16), ")
            .append("then embeds the same chunks with the bare model in groups of ").append(RAW_GROUPS)
            .append("; the ratio is against the best of those. The library session column is langchain4j's own ")
            .append("`AllMiniLmL6V2QuantizedEmbeddingModel` (ONNX threads spinning between runs), which SATURN used before. ")
            .append("CPU = the whole JVM's CPU time (embedding, Lucene, JDBC, Temporal test server, MariaDB is a separate process); ")
            .append("JIT = the part of it the JIT compiler threads spent, which a long-running worker stops paying: ")
            .append("both phases keep the two cores busy, so JIT CPU during the workflow is throughput it loses. ")
            .append("Time in embed() adds up the model calls of every batch; two batches are in flight, so it can exceed the wall time.\n\n")
            .append("| round | workflow chunks/s |");
        for (int group : RAW_GROUPS) {
          report.append(" raw, groups of ").append(group).append(" |");
        }
        report.append(" raw, library session, 16 | workflow / best raw | workflow / raw of 16 | workflow CPU ms/chunk | of it JIT | best raw CPU ms/chunk | of it JIT | library session CPU ms/chunk |")
            .append(" s to the first embedding | time in embed() / workflow time |\n|---:|---:|");
        report.append("---:|".repeat(RAW_GROUPS.size())).append("---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
          Phase w = indexed.get(i);
          Phase best = raw.get(i).stream().max(java.util.Comparator.comparingDouble(Phase::chunksPerSecond)).orElseThrow();
          Phase same = raw.get(i).get(RAW_GROUPS.indexOf(16));
          ratios.add(w.chunksPerSecond() / best.chunksPerSecond());
          report.append(String.format(Locale.ROOT, "| %d | %.1f |", i + 1, w.chunksPerSecond()));
          for (Phase r : raw.get(i)) {
            report.append(String.format(Locale.ROOT, " %.1f |", r.chunksPerSecond()));
            csv.append(String.format(Locale.ROOT, "indexing,%s,%d,chunks_per_s,%.2f%n", r.name(), r.chunks(), r.chunksPerSecond()));
            csv.append(String.format(Locale.ROOT, "indexing,%s,%d,cpu_ms_per_chunk,%.2f%n", r.name(), r.chunks(), r.cpuMsPerChunk()));
            csv.append(String.format(Locale.ROOT, "indexing,%s,%d,jit_cpu_ms_per_chunk,%.2f%n", r.name(), r.chunks(), r.jitMsPerChunk()));
          }
          Phase lib = libraryRaw.get(i);
          if (lib != null) {
            csv.append(String.format(Locale.ROOT, "indexing,%s,%d,chunks_per_s,%.2f%n", lib.name(), lib.chunks(), lib.chunksPerSecond()));
            csv.append(String.format(Locale.ROOT, "indexing,%s,%d,cpu_ms_per_chunk,%.2f%n", lib.name(), lib.chunks(), lib.cpuMsPerChunk()));
          }
          String libRate = lib == null ? "–" : String.format(Locale.ROOT, "%.1f", lib.chunksPerSecond());
          String libCpu = lib == null ? "–" : String.format(Locale.ROOT, "%.1f", lib.cpuMsPerChunk());
          report.append(String.format(Locale.ROOT, " %s | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %s | %.2f | %.2f |%n", libRate,
              w.chunksPerSecond() / best.chunksPerSecond(), w.chunksPerSecond() / same.chunksPerSecond(), w.cpuMsPerChunk(),
              w.jitMsPerChunk(), best.cpuMsPerChunk(), best.jitMsPerChunk(), libCpu, untilFirstEmbed.get(i), embedShare.get(i)));
          csv.append(String.format(Locale.ROOT, "indexing,workflow,%d,chunks_per_s,%.2f%n", w.chunks(), w.chunksPerSecond()));
          csv.append(String.format(Locale.ROOT, "indexing,workflow,%d,cpu_ms_per_chunk,%.2f%n", w.chunks(), w.cpuMsPerChunk()));
          csv.append(String.format(Locale.ROOT, "indexing,workflow,%d,jit_cpu_ms_per_chunk,%.2f%n", w.chunks(), w.jitMsPerChunk()));
        }
        ratios.sort(null);
        report.append(String.format(Locale.ROOT, "%nMedian workflow / best raw throughput: **%.2f**.%n%n", ratios.get(ratios.size() / 2)));
      } finally {
        env.close();
      }
    }
  }

  /**
   * The model as the activities see it, timing its calls: how long the workflow spent before its
   * first embedding (prepare) and what share of its wall time a model call was running.
   */
  static final class TimedEmbedder implements Embedder {
    final Embedder model;
    final AtomicLong embedNanos = new AtomicLong();
    final AtomicLong firstCall = new AtomicLong();

    TimedEmbedder(Embedder model) {
      this.model = model;
    }

    void reset() {
      embedNanos.set(0);
      firstCall.set(0);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      long started = System.nanoTime();
      firstCall.compareAndSet(0, started);
      try {
        return model.embed(texts);
      } finally {
        embedNanos.addAndGet(System.nanoTime() - started);
      }
    }

    @Override
    public EmbeddingSpace space() {
      return model.space();
    }

    @Override
    public String provider() {
      return model.provider();
    }

    @Override
    public int countTokens(String text) {
      return model.countTokens(text);
    }

    @Override
    public List<Integer> countTokens(List<String> texts) {
      return model.countTokens(texts);
    }

    @Override
    public boolean exactTokenCounts() {
      return model.exactTokenCounts();
    }
  }

  static final List<Integer> RAW_GROUPS = List.of(8, 16, 32);

  // ---------------------------------------------------------------- retrieval

  static final int DIM = 384;
  static final int K = 10;

  /** Unit vectors around {@code clusters} random centres, so neighbours are meaningful but not trivial. */
  static float[][] clustered(int n, int clusters, long seed, float[][] centres) {
    Random random = new Random(seed);
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] centre = centres[random.nextInt(clusters)];
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = centre[d] + 0.6f * (float) random.nextGaussian() / (float) Math.sqrt(DIM);
      }
      out[i] = normalise(v);
    }
    return out;
  }

  static float[] normalise(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }

  static void retrieval(List<Integer> sizes, int queries, List<LuceneVectorStore.Format> formats, StringBuilder report,
      StringBuilder csv) throws IOException {
    report.append("## Retrieval: Lucene HNSW vs exact in-memory search\n\n")
        .append("Synthetic unit vectors, dimension ").append(DIM).append(", 200 clusters; ").append(queries)
        .append(" queries from the same distribution; top-").append(K)
        .append("; one company/agent scope holds every chunk (the filter matches all of them). ")
        .append("recall@10 = share of the exact store's top 10 that the store returns.\n\n")
        .append("| chunks | store | build s | p50 ms | p99 ms | recall@10 |\n|---:|---|---:|---:|---:|---:|\n");
    Random random = new Random(5);
    float[][] centres = new float[200][];
    for (int c = 0; c < centres.length; c++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
      centres[c] = normalise(v);
    }
    for (int size : sizes) {
      System.out.println("[bench] retrieval at " + size + " chunks");
      float[][] vectors = clustered(size, centres.length, 17 + size, centres);
      float[][] asks = clustered(queries, centres.length, 99, centres);

      long built = System.nanoTime();
      InMemoryEmbeddingStore<TextSegment> exact = new InMemoryEmbeddingStore<>();
      List<String> ids = new ArrayList<>(size);
      List<Embedding> embeddings = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        ids.add(Integer.toString(i));
        embeddings.add(Embedding.from(vectors[i]));
      }
      for (int i = 0; i < size; i++) {
        exact.add(ids.get(i), embeddings.get(i));
      }
      double exactBuild = (System.nanoTime() - built) / 1e9;

      KbScope scope = KbScope.of("bench-company", "bench-agent");
      List<Lucene> stores = new ArrayList<>();
      try {
        for (LuceneVectorStore.Format format : formats) {
          stores.add(Lucene.build(format, scope, vectors, queries));
        }
        // Warm every store up so the JIT does not sit in the first percentiles.
        for (int q = 0; q < Math.min(20, queries); q++) {
          exact.search(EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(asks[q])).maxResults(K).build());
          for (Lucene lucene : stores) {
            lucene.store.search(scope, VectorQuery.of(asks[q], K));
          }
        }
        long[] exactNanos = new long[queries];
        for (int q = 0; q < queries; q++) {
          long t = System.nanoTime();
          List<EmbeddingMatch<TextSegment>> truth = exact.search(
              EmbeddingSearchRequest.builder().queryEmbedding(Embedding.from(asks[q])).maxResults(K).build()).matches();
          exactNanos[q] = System.nanoTime() - t;
          Set<String> expected = new HashSet<>();
          truth.forEach(m -> expected.add(m.embeddingId()));
          // Interleaved, so a burst of load on this shared machine hits every store alike.
          for (Lucene lucene : stores) {
            t = System.nanoTime();
            List<VectorHit> hits = lucene.store.search(scope, VectorQuery.of(asks[q], K));
            lucene.nanos[q] = System.nanoTime() - t;
            lucene.recall += hits.stream().filter(h -> expected.contains(Integer.toString(h.chunkIndex()))).count() / (double) K;
          }
        }
        row(report, csv, size, "langchain4j InMemoryEmbeddingStore (exact)", exactBuild, exactNanos, 1.0);
        for (Lucene lucene : stores) {
          row(report, csv, size, lucene.label, lucene.build, lucene.nanos, lucene.recall / queries);
        }
      } finally {
        for (Lucene lucene : stores) {
          lucene.store.close();
        }
      }
    }
    report.append('\n');
  }

  /** A Lucene store of one vector format, loaded as indexing would (batches of 2000, a commit each). */
  static final class Lucene {
    final String label;
    final LuceneVectorStore store;
    final double build;
    final long[] nanos;
    double recall;

    private Lucene(String label, LuceneVectorStore store, double build, int queries) {
      this.label = label;
      this.store = store;
      this.build = build;
      this.nanos = new long[queries];
    }

    static Lucene build(LuceneVectorStore.Format format, KbScope scope, float[][] vectors, int queries)
        throws IOException {
      String label = format == LuceneVectorStore.Format.FLOAT
          ? "Lucene 9.12 HNSW, float vectors (Lucene's default format)"
          : "Lucene 9.12 HNSW, int7 quantized + exact rescoring (LuceneVectorStore)";
      System.out.println("[bench] building " + label);
      long built = System.nanoTime();
      LuceneVectorStore store = new LuceneVectorStore(Files.createTempDirectory("kb-bench-lucene"),
          new EmbeddingSpace("bench", DIM), format);
      for (int from = 0; from < vectors.length; from += 2000) {
        List<VectorPoint> points = new ArrayList<>();
        for (int i = from; i < Math.min(vectors.length, from + 2000); i++) {
          points.add(new VectorPoint("doc-" + (i / 1000), 1, i, "bench", "chunk " + i, vectors[i]));
        }
        store.upsert(scope, points);
      }
      return new Lucene(label, store, (System.nanoTime() - built) / 1e9, queries);
    }
  }

  static void row(StringBuilder report, StringBuilder csv, int size, String store, double build, long[] nanos, double recall) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double p50 = sorted[(int) Math.floor(0.50 * (sorted.length - 1))] / 1e6;
    double p99 = sorted[(int) Math.floor(0.99 * (sorted.length - 1))] / 1e6;
    report.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.2f | %.2f | %.3f |%n", size, store, build, p50, p99, recall));
    csv.append(String.format(Locale.ROOT, "retrieval,%s,%d,p50_ms,%.3f%n", store, size, p50));
    csv.append(String.format(Locale.ROOT, "retrieval,%s,%d,p99_ms,%.3f%n", store, size, p99));
    csv.append(String.format(Locale.ROOT, "retrieval,%s,%d,recall_at_10,%.4f%n", store, size, recall));
    csv.append(String.format(Locale.ROOT, "retrieval,%s,%d,build_s,%.2f%n", store, size, build));
  }
}
