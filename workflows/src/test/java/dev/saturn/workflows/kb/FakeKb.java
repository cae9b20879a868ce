package dev.saturn.workflows.kb;

import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The indexing activities over an in-memory document and vector store, recording every call. It
 * checks the reindex invariant on every call: while the document serves a version, that version's
 * vectors exist.
 */
class FakeKb implements KbIndexingActivities {

  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final List<String> statuses = Collections.synchronizedList(new ArrayList<>());
  final Map<Integer, AtomicInteger> embedCallsPerBatch = new ConcurrentHashMap<>();
  final Map<Integer, Set<Integer>> vectorsByVersion = new ConcurrentHashMap<>();
  final List<String> invariantBreaches = Collections.synchronizedList(new ArrayList<>());
  /** Batches that fail once with a retryable error, as if the worker died there. */
  final Set<Integer> failOnceAtBatch = ConcurrentHashMap.newKeySet();
  /** Batches that always fail. */
  final Set<Integer> alwaysFailAtBatch = ConcurrentHashMap.newKeySet();
  /** Batches that fail at once with a non-retryable error. */
  final Set<Integer> failForGoodAtBatch = ConcurrentHashMap.newKeySet();
  /** Batches that take this long (real time) before writing their points. */
  final Map<Integer, Long> slowBatchMillis = new ConcurrentHashMap<>();
  /** Batches running right now, and the most ever running at once. */
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger mostInFlight = new AtomicInteger();
  ApplicationFailure prepareFailure;
  boolean superseded;
  int chunks = 10;
  int batchSize = 3;

  volatile String status = "uploaded";
  volatile int version = 1;
  volatile Integer readyVersion;
  volatile boolean deleted;

  FakeKb() {
    statuses.add(status);
  }

  /** A document already ready at {@code servedVersion} whose reindex to {@code servedVersion + 1} starts now. */
  FakeKb readyAt(int servedVersion, int servedChunks) {
    readyVersion = servedVersion;
    version = servedVersion + 1;
    Set<Integer> served = new TreeSet<>();
    for (int i = 0; i < servedChunks; i++) {
      served.add(i);
    }
    vectorsByVersion.put(servedVersion, served);
    return this;
  }

  private void setStatus(String next) {
    status = next;
    statuses.add(next);
  }

  private void checkInvariant(String when) {
    Integer served = readyVersion;
    if (served != null && !deleted && vectorsByVersion.getOrDefault(served, Set.of()).isEmpty()) {
      invariantBreaches.add(when + ": serving version " + served + " with no vectors");
    }
  }

  @Override
  public KbPrepared prepare(KbDocumentRef ref) {
    calls.add("prepare");
    checkInvariant("prepare");
    if (superseded) {
      return new KbPrepared(false, 0, batchSize);
    }
    if (!status.equals("indexing")) {
      setStatus("indexing");
    }
    if (prepareFailure != null) {
      throw prepareFailure;
    }
    return new KbPrepared(true, chunks, batchSize);
  }

  @Override
  public KbBatchResult embedBatch(KbBatchInput in) {
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      return embed(in);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private KbBatchResult embed(KbBatchInput in) {
    int attempt = embedCallsPerBatch.computeIfAbsent(in.batchNumber(), b -> new AtomicInteger()).incrementAndGet();
    calls.add("batch " + in.batchNumber() + " [" + in.fromChunk() + "," + in.toChunk() + ")");
    long slow = slowBatchMillis.getOrDefault(in.batchNumber(), 0L);
    if (slow > 0) {
      try {
        Thread.sleep(slow);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    checkInvariant("batch " + in.batchNumber());
    if (failForGoodAtBatch.contains(in.batchNumber())) {
      throw ApplicationFailure.newNonRetryableFailure("embedding model rejected the text", "KB_INDEXING_FAILED");
    }
    if (alwaysFailAtBatch.contains(in.batchNumber())) {
      throw ApplicationFailure.newFailure("embedding server answered 500", "EMBEDDING_FAILED");
    }
    // The crash happens after half the batch is written: a retry overwrites those points (same ids).
    Set<Integer> points = vectorsByVersion.computeIfAbsent(in.ref().version(), v -> ConcurrentHashMap.newKeySet());
    if (failOnceAtBatch.contains(in.batchNumber()) && attempt == 1) {
      points.add(in.fromChunk());
      throw new IllegalStateException("worker died mid-batch");
    }
    for (int i = in.fromChunk(); i < in.toChunk(); i++) {
      points.add(i);
    }
    return new KbBatchResult(in.toChunk() - in.fromChunk(), 10L * (in.toChunk() - in.fromChunk()), in.fromChunk());
  }

  @Override
  public KbActivated activate(KbDocumentRef ref) {
    calls.add("activate " + ref.version());
    Integer previous = readyVersion;
    readyVersion = ref.version();
    setStatus("ready");
    checkInvariant("activate");
    return new KbActivated(true, previous);
  }

  @Override
  public void deleteOlderVersions(KbDocumentRef ref) {
    calls.add("deleteOlderVersions " + ref.version());
    vectorsByVersion.keySet().removeIf(v -> v < ref.version());
    checkInvariant("deleteOlderVersions");
  }

  @Override
  public void deleteVersion(KbDocumentRef ref) {
    calls.add("deleteVersion " + ref.version());
    vectorsByVersion.remove(ref.version());
    checkInvariant("deleteVersion");
  }

  @Override
  public void fail(KbFailInput in) {
    calls.add("fail " + in.errorCode() + ": " + in.message());
    setStatus("failed");
  }

  @Override
  public void deleteVectors(KbDeleteInput in) {
    calls.add("deleteVectors");
    vectorsByVersion.clear();
  }

  @Override
  public void deleteRecord(KbDeleteInput in) {
    calls.add("deleteRecord");
    deleted = true;
  }
}
