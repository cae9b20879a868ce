package dev.saturn.activities.kb;

import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.webhooks.WebhookFacts;
import dev.saturn.activities.kb.embedding.Embedder;
import dev.saturn.activities.kb.text.Chunker;
import dev.saturn.activities.kb.text.DocumentTexts;
import dev.saturn.activities.kb.vector.KbScope;
import dev.saturn.activities.kb.vector.VectorPoint;
import dev.saturn.activities.kb.vector.VectorStore;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.kb.BlobStore;
import dev.saturn.db.kb.KbChunk;
import dev.saturn.db.kb.KbChunkRepository;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.KbDocumentRow;
import dev.saturn.db.kb.KbDocumentStatus;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.kb.KbActivated;
import dev.saturn.workflows.kb.KbBatchInput;
import dev.saturn.workflows.kb.KbBatchResult;
import dev.saturn.workflows.kb.KbDeleteInput;
import dev.saturn.workflows.kb.KbDocumentRef;
import dev.saturn.workflows.kb.KbFailInput;
import dev.saturn.workflows.kb.KbIndexingActivities;
import dev.saturn.workflows.kb.KbIndexingWorkflow;
import dev.saturn.workflows.kb.KbPrepared;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Idempotent steps of indexing. {@code prepare} writes the chunks of a version once (primary key
 * document, version, index) and reuses them on a retry; {@code embedBatch} upserts points whose ids
 * derive from (document, version, chunk), commits them once per batch, and resumes a retry from
 * the first chunk not committed (its heartbeat's); its usage event carries the key
 * {@code kb-index:{doc}:{version}:batch:{n}}.
 */
public class KbIndexingActivitiesImpl implements KbIndexingActivities {

  private static final Logger log = LoggerFactory.getLogger(KbIndexingActivitiesImpl.class);
  /** Chunks embedded in one model call, with a heartbeat after each; the batch is committed as a whole. */
  static final int EMBED_GROUP = 16;
  /** How often {@code prepare} heartbeats while its document is parsed (heartbeat timeout 30 s). */
  private static final Duration HEARTBEAT_WHILE_PARSING = Duration.ofSeconds(5);

  private final KbDocumentRepository documents;
  private final KbChunkRepository chunks;
  private final BlobStore blobs;
  private final UsageEventRepository usage;
  private final KbSettingsResolver settings;
  private final Embedder embedder;
  private final Chunker chunker;
  private final DocumentTexts texts;
  private final HeartbeatingPool parsing;
  private final VectorStore vectors;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final int batchSize;
  private final Counter chunksEmbedded;
  private final Counter documentsReady;
  private final Counter documentsFailed;
  private final WebhookFacts facts;
  /** Index writes of the batches running on this worker, one in flight per batch (see embedBatch). */
  private final ExecutorService writes = Executors.newCachedThreadPool(daemonThreads("kb-vector-write-"));

  public KbIndexingActivitiesImpl(
      KbDocumentRepository documents,
      KbChunkRepository chunks,
      BlobStore blobs,
      UsageEventRepository usage,
      KbSettingsResolver settings,
      Embedder embedder,
      Chunker chunker,
      DocumentTexts texts,
      HeartbeatingPool parsing,
      VectorStore vectors,
      TransactionTemplate transaction,
      Clock clock,
      int batchSize,
      MeterRegistry meters,
      WebhookFacts facts) {
    this.documents = documents;
    this.chunks = chunks;
    this.blobs = blobs;
    this.usage = usage;
    this.settings = settings;
    this.embedder = embedder;
    this.chunker = chunker;
    this.texts = texts;
    this.parsing = parsing;
    this.vectors = vectors;
    this.transaction = transaction;
    this.clock = clock;
    this.batchSize = batchSize;
    this.chunksEmbedded = meters.counter("saturn.kb.chunks.embedded");
    this.documentsReady = meters.counter("saturn.kb.documents", "outcome", "ready");
    this.documentsFailed = meters.counter("saturn.kb.documents", "outcome", "failed");
    this.facts = facts;
  }

  @Override
  public KbPrepared prepare(KbDocumentRef ref) {
    CompanyId company = CompanyId.of(ref.companyId());
    Optional<KbDocumentRow> found = documents.find(company, ref.agentId(), ref.documentId());
    if (found.isEmpty() || found.get().version() != ref.version() || KbDocumentStatus.DELETING.equals(found.get().status())) {
      return new KbPrepared(false, 0, batchSize);
    }
    KbDocumentRow document = found.get();
    if (!documents.startIndexing(company, document.id(), ref.version(), embedder.space().model())
        && !KbDocumentStatus.READY.equals(document.status())) {
      return new KbPrepared(false, 0, batchSize);
    }
    int total = chunks.count(company, document.id(), ref.version());
    if (total == 0) {
      KbSettingsResolver.Effective kb = settings.current(company, ref.agentId());
      // The bytes are read on the parsing thread, so a document waiting in the queue holds no memory.
      List<String> pieces = parsing.run(() -> chunker.split(
          texts.extract(document.contentType(), blobs.get(company, document.blobRef())), kb.chunkTokens(), kb.chunkOverlap()),
          HEARTBEAT_WHILE_PARSING);
      List<Integer> tokens = embedder.countTokens(pieces);
      List<KbChunk> rows = new ArrayList<>(pieces.size());
      for (int i = 0; i < pieces.size(); i++) {
        rows.add(new KbChunk(document.id(), ref.version(), i, pieces.get(i), tokens.get(i)));
      }
      transaction.executeWithoutResult(status -> chunks.insertAll(company, rows));
      total = rows.size();
    }
    documents.setChunksTotal(company, document.id(), ref.version(), total);
    int size = batchSizeFor(total, batchSize);
    log.info("kb document prepared: document={} version={} chunks={} batches_of={}",
        document.id(), ref.version(), total, size);
    return new KbPrepared(true, total, size);
  }

  /**
   * Chunks per batch: at most {@code maxBatch}, spread evenly over a batch count rounded up to a
   * multiple of the batches the workflow runs at once, so the last batch does not run alone while
   * the other slot idles (after two batches of 128, a batch of 45 alone took a seventh of a
   * 301-chunk document's time). A document with less than one embedding group per slot stays one
   * batch. A function of the chunk count only: a retried {@code prepare} gives the same batches, and
   * histories recorded before keep the size they recorded. A document long enough to continue as
   * new keeps {@code maxBatch}: the next run's {@code prepare} starts at the batch number the last
   * run handed over, and a run of the code before this sizing handed over numbers of that size
   * (a smaller size there would embed and bill some chunks twice, under new batch keys).
   */
  static int batchSizeFor(int chunks, int maxBatch) {
    if (chunks <= 0) {
      return maxBatch;
    }
    int batches = Math.floorDiv(chunks + maxBatch - 1, maxBatch);
    int slots = KbIndexingWorkflow.BATCHES_AT_ONCE;
    if (batches + slots > KbIndexingWorkflow.BATCHES_PER_RUN) {
      return maxBatch;
    }
    if (batches % slots != 0 && chunks >= slots * EMBED_GROUP) {
      batches += slots - batches % slots;
    }
    return Math.floorDiv(chunks + batches - 1, batches);
  }

  @Override
  public KbBatchResult embedBatch(KbBatchInput in) {
    KbDocumentRef ref = in.ref();
    CompanyId company = CompanyId.of(ref.companyId());
    KbDocumentRow document = documents.find(company, ref.agentId(), ref.documentId())
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "document " + ref.documentId() + " not found", ErrorCode.NOT_FOUND.name()));
    ActivityExecutionContext context = Activity.getExecutionContext();
    // A retry resumes at the first chunk not yet committed: the batch's start, or a heartbeat's chunk.
    int start = Math.max(in.fromChunk(), context.getHeartbeatDetails(Integer.class).orElse(in.fromChunk()));
    List<KbChunk> batch = chunks.range(company, ref.documentId(), ref.version(), in.fromChunk(), in.toChunk());
    KbScope scope = KbScope.of(ref.companyId(), ref.agentId());
    // Group k+1 is embedded while group k goes into the index (HNSW insertion) on a writer thread;
    // one commit then makes the batch durable. Until that commit the heartbeat keeps reporting
    // `start`: a retry re-embeds the uncommitted groups, and re-upserting a chunk id replaces it.
    CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
    try {
      for (int from = start; from < in.toChunk(); from += EMBED_GROUP) {
        List<KbChunk> group = batch.subList(from - in.fromChunk(), Math.min(in.toChunk(), from + EMBED_GROUP) - in.fromChunk());
        List<float[]> embedded = embedder.embed(group.stream().map(KbChunk::content).toList());
        List<VectorPoint> points = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
          KbChunk chunk = group.get(i);
          points.add(new VectorPoint(chunk.documentId(), chunk.version(), chunk.chunkIndex(), document.title(),
              chunk.content(), embedded.get(i)));
        }
        await(written);
        written = CompletableFuture.runAsync(() -> vectors.upsertUncommitted(scope, points), writes);
        chunksEmbedded.increment(group.size());
        context.heartbeat(start);
      }
      await(written);
    } finally {
      // Even when failing: no write of this attempt may land after the workflow's cleanup deletes.
      written.exceptionally(failure -> null).join();
    }
    vectors.commit();
    long tokens = batch.stream().mapToLong(KbChunk::tokenCount).sum();
    usage.recordOnce(company, new UsageEvent(
        Ids.newId(),
        company.value(),
        ref.agentId(),
        null,
        null,
        "embedding",
        embedder.provider(),
        embedder.space().model(),
        tokens,
        0,
        batch.size(),
        !embedder.exactTokenCounts(),
        usageKey(ref, in.batchNumber()),
        clock.instant()));
    documents.progress(company, ref.documentId(), ref.version(), in.toChunk());
    log.info("kb batch embedded: document={} version={} batch={} chunks={}..{} resumed_from={} progress={}/{}",
        ref.documentId(), ref.version(), in.batchNumber(), in.fromChunk(), in.toChunk(), start, in.toChunk(),
        document.chunksTotal());
    return new KbBatchResult(in.toChunk() - start, tokens, start);
  }

  /** The future's result, or what its work threw (not wrapped). */
  private static void await(CompletableFuture<Void> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
    threads.setDaemon(true);
    return threads;
  }

  static String usageKey(KbDocumentRef ref, int batchNumber) {
    return "kb-index:" + ref.documentId() + ":" + ref.version() + ":batch:" + batchNumber;
  }

  @Override
  public KbActivated activate(KbDocumentRef ref) {
    CompanyId company = CompanyId.of(ref.companyId());
    KbActivated activated = transaction.execute(status -> {
      Optional<Integer> previous = documents.markReady(company, ref.documentId(), ref.version());
      boolean active = documents.find(company, ref.agentId(), ref.documentId())
          .map(d -> d.readyVersion() != null && d.readyVersion() == ref.version()
              && !KbDocumentStatus.DELETING.equals(d.status()))
          .orElse(false);
      if (active) {
        // keyed by document and version: a retried activation records it once
        facts.documentReady(company, ref.documentId(), ref.agentId(), ref.version());
      }
      return new KbActivated(active, previous.orElse(null));
    });
    if (activated.activated()) {
      documentsReady.increment();
    }
    return activated;
  }

  @Override
  public void deleteOlderVersions(KbDocumentRef ref) {
    CompanyId company = CompanyId.of(ref.companyId());
    vectors.deleteVersionsBelow(KbScope.of(ref.companyId(), ref.agentId()), ref.documentId(), ref.version());
    chunks.deleteVersionsBelow(company, ref.documentId(), ref.version());
  }

  @Override
  public void deleteVersion(KbDocumentRef ref) {
    CompanyId company = CompanyId.of(ref.companyId());
    vectors.deleteVersion(KbScope.of(ref.companyId(), ref.agentId()), ref.documentId(), ref.version());
    chunks.deleteVersion(company, ref.documentId(), ref.version());
  }

  @Override
  public void fail(KbFailInput in) {
    KbDocumentRef ref = in.ref();
    CompanyId company = CompanyId.of(ref.companyId());
    boolean failedNow = Boolean.TRUE.equals(transaction.execute(status -> {
      boolean failed = documents.markFailed(company, ref.documentId(), ref.version(), in.errorCode(), in.message());
      if (failed) {
        facts.documentFailed(company, ref.documentId(), ref.agentId(), ref.version(), in.errorCode(), in.message());
      }
      return failed;
    }));
    if (failedNow) {
      documentsFailed.increment();
    }
  }

  @Override
  public void deleteVectors(KbDeleteInput in) {
    vectors.deleteDocument(KbScope.of(in.companyId(), in.agentId()), in.documentId());
  }

  @Override
  public void deleteRecord(KbDeleteInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    Optional<KbDocumentRow> document = documents.find(company, in.agentId(), in.documentId());
    if (document.isEmpty()) {
      return;
    }
    chunks.deleteDocument(company, in.documentId());
    blobs.delete(company, document.get().blobRef());
    documents.delete(company, in.documentId());
  }
}
