package dev.saturn.workflows.kb;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;

/**
 * prepare → one activity per batch, two in flight → activate → delete the previously served
 * version. Temporal records each finished batch, so a worker that dies mid-document resumes at the
 * first unfinished batch (the other one in flight may have finished); inside a batch the activity
 * resumes from its last heartbeat. Long documents continue as
 * new every {@link #BATCHES_PER_RUN} batches to keep the history small.
 */
public class KbIndexingWorkflowImpl implements KbIndexingWorkflow {

  static final String SUPERSEDED = "superseded";
  static final String READY = "ready";
  /**
   * Version 1: two batches in flight, so one batch's model calls overlap the other's commit,
   * bookkeeping and activity round trip (docs/benchmarks.md, knowledge base indexing). Histories
   * without the marker ran one batch at a time and replay that way.
   */
  static final String BATCHES_IN_FLIGHT = "kb-batches-in-flight";
  static final int IN_FLIGHT = BATCHES_AT_ONCE;

  private static final Logger log = Workflow.getLogger(KbIndexingWorkflowImpl.class);

  private final KbIndexingActivities prepare =
      Workflow.newActivityStub(KbIndexingActivities.class, KbActivityOptions.PREPARE);
  private final KbIndexingActivities batches =
      Workflow.newActivityStub(KbIndexingActivities.class, KbActivityOptions.BATCH);
  private final KbIndexingActivities store =
      Workflow.newActivityStub(KbIndexingActivities.class, KbActivityOptions.STORE);

  @Override
  public KbIndexResult index(KbIndexInput in) {
    KbDocumentRef ref = in.ref();
    try {
      KbPrepared prepared = prepare.prepare(ref);
      if (!prepared.current()) {
        log.info("kb document version superseded before indexing: {}", ref);
        return new KbIndexResult(ref.documentId(), ref.version(), SUPERSEDED, 0);
      }
      boolean overlapped = Workflow.getVersion(BATCHES_IN_FLIGHT, Workflow.DEFAULT_VERSION, 1) >= 1;
      int total = prepared.batches();
      Deque<Promise<KbBatchResult>> running = new ArrayDeque<>();
      try {
        for (int batch = in.nextBatch(); batch < total; batch++) {
          if (batch - in.nextBatch() >= BATCHES_PER_RUN) {
            awaitAll(running);
            KbIndexingWorkflow next = Workflow.newContinueAsNewStub(KbIndexingWorkflow.class);
            return next.index(new KbIndexInput(in.companyId(), in.agentId(), in.documentId(), in.version(), batch));
          }
          int from = batch * prepared.batchSize();
          int to = Math.min(prepared.chunks(), from + prepared.batchSize());
          KbBatchInput input = new KbBatchInput(ref, batch, from, to);
          if (!overlapped) {
            batches.embedBatch(input);
            continue;
          }
          running.add(Async.function(batches::embedBatch, input));
          if (running.size() >= IN_FLIGHT) {
            running.removeFirst().get();
          }
        }
        awaitAll(running);
      } catch (ActivityFailure failure) {
        // The cleanup below deletes this version's vectors: the other batch in flight must not
        // write after it, so it is waited for (to its end, whatever that is) first.
        settle(running);
        throw failure;
      }
      KbActivated activated = store.activate(ref);
      if (!activated.activated()) {
        // A newer version or a delete overtook this one: its vectors must not linger.
        store.deleteVersion(ref);
        return new KbIndexResult(ref.documentId(), ref.version(), SUPERSEDED, prepared.chunks());
      }
      // Only now do the old vectors go: until the switch above, retrieval served them.
      store.deleteOlderVersions(ref);
      log.info("kb document ready: document={} version={} chunks={}", ref.documentId(), ref.version(), prepared.chunks());
      return new KbIndexResult(ref.documentId(), ref.version(), READY, prepared.chunks());
    } catch (ActivityFailure failure) {
      String code = codeOf(failure);
      String message = messageOf(failure);
      log.warn("kb indexing failed: document={} version={} {} {}", ref.documentId(), ref.version(), code, message);
      store.fail(new KbFailInput(ref, code, message));
      store.deleteVersion(ref);
      throw ApplicationFailure.newNonRetryableFailureWithCause(message, code, failure);
    }
  }

  /** Waits for every batch in order; the first failure is thrown (the others are then settled by the caller). */
  private static void awaitAll(Deque<Promise<KbBatchResult>> running) {
    while (!running.isEmpty()) {
      running.peekFirst().get();
      running.removeFirst();
    }
  }

  /** Waits until every batch still in flight has ended, succeeded or failed. */
  private static void settle(Deque<Promise<KbBatchResult>> running) {
    for (Promise<KbBatchResult> batch : running) {
      batch.handle((result, failure) -> null).get();
    }
    running.clear();
  }

  /** Unsupported content keeps its own code; everything else is an indexing failure with its reason. */
  private static String codeOf(ActivityFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app
        && ErrorCode.KB_UNSUPPORTED_TYPE.name().equals(app.getType())) {
      return ErrorCode.KB_UNSUPPORTED_TYPE.name();
    }
    return ErrorCode.KB_INDEXING_FAILED.name();
  }

  private static String messageOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause != null && cause.getMessage() != null ? cause.getMessage() : failure.getMessage();
  }
}
