package dev.saturn.activities.kb.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;

/**
 * The embedded default: an on-disk Lucene index per embedding space ({@code <root>/<space key>}),
 * HNSW vectors (cosine) plus keyword fields for company, agent and document and the chunk text
 * analysed for BM25, so a search can be hybrid. {@link #upsert} and the deletes commit before they
 * return, so an acknowledged write survives a crash; {@link #upsertUncommitted} leaves that to the
 * caller's {@link #commit}.
 *
 * <p>Vectors are kept twice by the default {@link Format#INT7_QUANTIZED}: as 7-bit scalar-quantized
 * values, which the HNSW graph is searched with (a quarter of the memory traffic of floats), and as
 * the raw floats, with which the oversampled candidates are rescored exactly. So the ranking and
 * the scores are exact cosines of the candidates, and quantization can only cost recall, which the
 * oversampling buys back (docs/benchmarks.md). Segments written with another format stay readable:
 * Lucene records each segment's format, and merges rewrite them in the current one.
 *
 * <p>Scores: this class reports the cosine itself, like Qdrant, so {@code min_score} means the same
 * for both stores.
 */
public class LuceneVectorStore implements VectorStore {

  static final String COMPANY = "company_id";
  static final String AGENT = "agent_id";
  static final String DOCUMENT = "document_id";
  static final String DOC_VERSION = "document_version";
  static final String POINT = "point_id";
  static final String VERSION = "version";
  static final String VERSION_POINT = "version_point";
  static final String CHUNK = "chunk_index";
  static final String TITLE = "title";
  static final String TEXT = "text";
  static final String VECTOR = "vector";

  /** Reciprocal-rank-fusion constant; 60 is the value from the original RRF paper. */
  private static final int RRF_K = 60;
  /** Fewest HNSW candidates explored (and rescored exactly) per search. */
  private static final int MIN_EXPLORED = 50;
  /** Scopes with at most this many points are searched exactly (see {@link #search}). */
  static final int EXACT_UP_TO = 2000;
  /** Segments per tier of the merge policy: fewer, larger segments answer a search faster. */
  static final int SEGMENTS_PER_TIER = 4;
  /**
   * Segments below this size (MB) count as this size when merges are chosen. Lucene's default, 2 MB,
   * is ~450 of our documents: every commit of a bulk indexing job (one per batch of 128) wrote a
   * segment that small, and the merge policy kept merging them into each other, re-inserting their
   * vectors into a new HNSW graph each time. 0.25 MB lets them build up in tiers first: about 40 %
   * less Lucene CPU per indexed chunk, while the large segments that searches spend their time in
   * are merged as before (docs/benchmarks.md, knowledge base indexing).
   */
  static final double FLOOR_SEGMENT_MB = 0.25;
  /** Most company/agent filters whose matching documents are kept per segment (see {@link #scopeFilters}). */
  static final int CACHED_SCOPE_FILTERS = 256;
  /** Memory bound of those cached filters: a bit set of one 100k-document segment is ~12 KB. */
  static final long CACHED_SCOPE_FILTER_BYTES = 16L << 20;

  /** How the HNSW graph stores the vectors it is searched with. */
  public enum Format {
    /** 32-bit floats: Lucene's default, and SATURN's before quantization (kept for the benchmark's baseline). */
    FLOAT(new Lucene99HnswVectorsFormat()),
    /** 7-bit scalar quantization (Lucene's default bits and confidence), raw floats kept for rescoring. */
    INT7_QUANTIZED(new Lucene99HnswScalarQuantizedVectorsFormat());

    private final KnnVectorsFormat knn;

    Format(KnnVectorsFormat knn) {
      this.knn = knn;
    }
  }

  private final EmbeddingSpace space;
  private final FSDirectory directory;
  private final Analyzer analyzer = new StandardAnalyzer();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  /**
   * The documents each segment has in a scope, kept per segment from the first search that needs
   * them. Every HNSW search takes the company/agent filter as a bit set per segment; built from
   * the two term postings on each query, that was ~20 % of a query's CPU at 100k chunks
   * (docs/benchmarks.md). Lucene keys the entries by segment, drops them with the segment, and
   * applies deletions on top, so a cached filter is the same filter; Lucene's default cache would
   * not do it, as it skips segments under 10,000 documents and waits for repeated use.
   */
  private final LRUQueryCache scopeFilters =
      new LRUQueryCache(CACHED_SCOPE_FILTERS, CACHED_SCOPE_FILTER_BYTES, leaf -> true, Float.POSITIVE_INFINITY);
  /** Searches a query's segments in parallel (Lucene runs each segment's HNSW search as a task). */
  private final ExecutorService segmentSearches = Executors.newFixedThreadPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()), daemon("lucene-search"));

  public LuceneVectorStore(Path root, EmbeddingSpace space) {
    this(root, space, Format.INT7_QUANTIZED);
  }

  public LuceneVectorStore(Path root, EmbeddingSpace space, Format format) {
    this.space = space;
    try {
      Path dir = root.resolve(space.key());
      Files.createDirectories(dir);
      this.directory = FSDirectory.open(dir);
      this.writer = new IndexWriter(directory, writerConfig(analyzer, format));
      this.searchers = new SearcherManager(writer, new SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
          IndexSearcher searcher = new IndexSearcher(reader, segmentSearches);
          searcher.setQueryCache(scopeFilters);
          searcher.setQueryCachingPolicy(CACHE_FILTERS);
          return searcher;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the Lucene index under " + root, e);
    }
  }

  private static IndexWriterConfig writerConfig(Analyzer analyzer, Format format) {
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setCodec(new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format.knn;
      }
    });
    // Every search visits each segment's graph: fewer, larger segments answer faster. Merging
    // builds on the largest segment's graph, so the extra merging stays cheap next to embedding.
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setSegmentsPerTier(SEGMENTS_PER_TIER);
    merges.setFloorSegmentMB(FLOOR_SEGMENT_MB);
    config.setMergePolicy(merges);
    return config;
  }

  @Override
  public String kind() {
    return "lucene";
  }

  @Override
  public EmbeddingSpace space() {
    return space;
  }

  @Override
  public void upsert(KbScope scope, List<VectorPoint> points) {
    upsertUncommitted(scope, points);
    commit();
  }

  /**
   * Adds the points to the writer's buffer (the HNSW insertion happens here); a commit from any
   * caller makes them durable, which is harmless: re-upserting a point id replaces it.
   */
  @Override
  public void upsertUncommitted(KbScope scope, List<VectorPoint> points) {
    try {
      for (VectorPoint point : points) {
        if (point.vector().length != space.dimension()) {
          throw new IllegalArgumentException("vector of dimension " + point.vector().length
              + " in a space of dimension " + space.dimension());
        }
        writer.updateDocument(new Term(POINT, point.id().toString()), document(scope, point));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One commit writes a segment and syncs it (~50 ms on a slow disk), so callers batch their writes. */
  @Override
  public void commit() {
    try {
      writer.commit();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Document document(KbScope scope, VectorPoint point) {
    Document doc = new Document();
    doc.add(new StringField(POINT, point.id().toString(), Field.Store.NO));
    doc.add(new StringField(COMPANY, scope.companyId(), Field.Store.YES));
    doc.add(new StringField(AGENT, scope.agentId(), Field.Store.YES));
    doc.add(new StringField(DOCUMENT, point.documentId(), Field.Store.YES));
    doc.add(new StringField(DOC_VERSION, point.documentId() + ":" + point.version(), Field.Store.NO));
    doc.add(new StoredField(VERSION, point.version()));
    doc.add(new IntPoint(VERSION_POINT, point.version()));
    doc.add(new StoredField(CHUNK, point.chunkIndex()));
    doc.add(new StoredField(TITLE, point.title() == null ? "" : point.title()));
    doc.add(new TextField(TEXT, point.text(), Field.Store.YES));
    // The raw floats are read back from the vector field (see exactCosines); documents written
    // before 2026-12-07 also carry them as a stored field, which nothing reads any more.
    doc.add(new KnnFloatVectorField(VECTOR, point.vector(), VectorSimilarityFunction.COSINE));
    return doc;
  }

  @Override
  public List<VectorHit> search(KbScope scope, VectorQuery query) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        Query filter = scopeFilter(scope);
        int candidates = query.hybrid() ? query.topK() * 4 : query.topK();
        // HNSW explores `k` candidates; asking for more than we keep raises recall (docs/benchmarks.md).
        int explore = Math.max(candidates, Math.max(MIN_EXPLORED, query.topK() * 5));
        // HNSW can miss a vector far from all others (one unique passage among near-identical
        // ones: KbWorkerCrashDurabilityIT's 351 chunks, once committed 32 at a time). Lucene searches
        // a segment exactly when the filter leaves at most k of its documents, so a small scope is
        // searched exactly, which costs well under a millisecond at this size.
        int inScope = searcher.count(filter);
        if (inScope <= EXACT_UP_TO) {
          explore = Math.max(explore, inScope);
        }
        ScoreDoc[] explored = searcher.search(new KnnFloatVectorQuery(VECTOR, query.vector(), explore, filter), explore).scoreDocs;
        ScoreDoc[] semantic = rescored(searcher, explored, query.vector(), candidates);
        List<VectorHit> hits;
        if (query.hybrid() && query.text() != null && !query.text().isBlank()) {
          hits = fused(searcher, query, semantic, keywordQuery(query.text(), filter), candidates);
        } else {
          hits = new ArrayList<>(semantic.length);
          for (ScoreDoc hit : semantic) {
            hits.add(hit(searcher, hit.doc, hit.score));
          }
        }
        return hits.stream().filter(h -> h.score() >= query.minScore()).limit(query.topK()).toList();
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The explored candidates ranked by their exact cosine with the query, computed from the raw float
   * vectors (kept beside the quantized ones); the best {@code keep}, each scored with its cosine.
   */
  private static ScoreDoc[] rescored(IndexSearcher searcher, ScoreDoc[] explored, float[] query, int keep)
      throws IOException {
    List<ScoreDoc> exact = exactCosines(searcher, Arrays.stream(explored).mapToInt(d -> d.doc).toArray(), query);
    exact.sort(Comparator.comparingDouble((ScoreDoc d) -> d.score).reversed().thenComparingInt(d -> d.doc));
    return exact.subList(0, Math.min(keep, exact.size())).toArray(ScoreDoc[]::new);
  }

  /**
   * The exact cosine of each document (index-wide ids) with the query, from the raw float vectors
   * the vector field keeps; documents without a vector are left out.
   */
  private static List<ScoreDoc> exactCosines(IndexSearcher searcher, int[] docs, float[] query) throws IOException {
    int[] byDoc = docs.clone();
    Arrays.sort(byDoc);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    List<ScoreDoc> exact = new ArrayList<>(byDoc.length);
    int leafIndex = -1;
    FloatVectorValues vectors = null;
    for (int doc : byDoc) {
      int leaf = ReaderUtil.subIndex(doc, leaves);
      LeafReaderContext context = leaves.get(leaf);
      if (leaf != leafIndex) {
        leafIndex = leaf;
        vectors = context.reader().getFloatVectorValues(VECTOR);
      }
      int local = doc - context.docBase;
      if (vectors != null && vectors.advance(local) == local) {
        exact.add(new ScoreDoc(doc, (float) cosine(query, vectors.vectorValue())));
      }
    }
    return exact;
  }

  /** Reciprocal rank fusion of the vector and BM25 rankings; each hit keeps its cosine score. */
  private List<VectorHit> fused(IndexSearcher searcher, VectorQuery query, ScoreDoc[] semantic, Query keyword, int n)
      throws IOException {
    ScoreDoc[] lexical = searcher.search(keyword, n).scoreDocs;
    Map<Integer, Double> fusion = new LinkedHashMap<>();
    for (int i = 0; i < semantic.length; i++) {
      fusion.merge(semantic[i].doc, 1.0 / (RRF_K + i + 1), Double::sum);
    }
    for (int i = 0; i < lexical.length; i++) {
      fusion.merge(lexical[i].doc, 1.0 / (RRF_K + i + 1), Double::sum);
    }
    List<Map.Entry<Integer, Double>> ranked = new ArrayList<>(fusion.entrySet());
    ranked.sort(Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder()));
    Map<Integer, Float> cosines = new HashMap<>();
    for (ScoreDoc exact : exactCosines(searcher, fusion.keySet().stream().mapToInt(Integer::intValue).toArray(), query.vector())) {
      cosines.put(exact.doc, exact.score);
    }
    List<VectorHit> hits = new ArrayList<>(ranked.size());
    for (Map.Entry<Integer, Double> entry : ranked) {
      hits.add(hit(searcher, entry.getKey(), cosines.getOrDefault(entry.getKey(), 0f)));
    }
    return hits;
  }

  private Query keywordQuery(String text, Query filter) throws IOException {
    BooleanQuery.Builder words = new BooleanQuery.Builder();
    try (TokenStream tokens = analyzer.tokenStream(TEXT, text)) {
      CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
      tokens.reset();
      int count = 0;
      while (tokens.incrementToken() && count++ < BooleanQuery.getMaxClauseCount() - 2) {
        words.add(new TermQuery(new Term(TEXT, term.toString())), BooleanClause.Occur.SHOULD);
      }
      tokens.end();
    }
    return new BooleanQuery.Builder()
        .add(words.build(), BooleanClause.Occur.MUST)
        .add(filter, BooleanClause.Occur.FILTER)
        .build();
  }

  private static Query scopeFilter(KbScope scope) {
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(COMPANY, scope.companyId())), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(AGENT, scope.agentId())), BooleanClause.Occur.FILTER)
        .build();
  }

  private static VectorHit hit(IndexSearcher searcher, int doc, double score) throws IOException {
    return hit(searcher.storedFields().document(doc), score);
  }

  private static VectorHit hit(Document stored, double score) {
    return new VectorHit(
        stored.get(DOCUMENT),
        stored.getField(VERSION).numericValue().intValue(),
        stored.getField(CHUNK).numericValue().intValue(),
        stored.get(TITLE),
        stored.get(TEXT),
        score);
  }

  @Override
  public void deleteVersion(KbScope scope, String documentId, int version) {
    delete(new BooleanQuery.Builder()
        .add(scopeFilter(scope), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(DOC_VERSION, documentId + ":" + version)), BooleanClause.Occur.FILTER)
        .build());
  }

  @Override
  public void deleteVersionsBelow(KbScope scope, String documentId, int version) {
    delete(new BooleanQuery.Builder()
        .add(scopeFilter(scope), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(DOCUMENT, documentId)), BooleanClause.Occur.FILTER)
        .add(IntPoint.newRangeQuery(VERSION_POINT, Integer.MIN_VALUE, version - 1), BooleanClause.Occur.FILTER)
        .build());
  }

  @Override
  public void deleteDocument(KbScope scope, String documentId) {
    delete(new BooleanQuery.Builder()
        .add(scopeFilter(scope), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term(DOCUMENT, documentId)), BooleanClause.Occur.FILTER)
        .build());
  }

  private void delete(Query query) {
    try {
      writer.deleteDocuments(query);
      writer.commit();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public long count(KbScope scope) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.count(scopeFilter(scope));
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many times a search took a segment's scope filter from {@link #scopeFilters} (for tests). */
  long scopeFilterCacheHits() {
    return scopeFilters.getHitCount();
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
      directory.close();
      segmentSearches.shutdown();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Caches every query Lucene evaluates without scores here: the scope filter (alone, or inside
   * the HNSW and keyword searches). The scored queries (vector, BM25) are never cached by Lucene.
   */
  private static final QueryCachingPolicy CACHE_FILTERS = new QueryCachingPolicy() {
    @Override
    public void onUse(Query query) {
    }

    @Override
    public boolean shouldCache(Query query) {
      return true;
    }
  };

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
