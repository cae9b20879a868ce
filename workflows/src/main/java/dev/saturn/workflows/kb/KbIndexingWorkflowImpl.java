package dev.saturn.workflows.kb;

import dev.saturn.workflows.common.ErrorCode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * prepare → one activity per batch → activate → delete the previously served version. Temporal
 * records each finished batch, so a worker that dies mid-document resumes at the first unfinished
 * batch; inside a batch the activity resumes from its last heartbeat. Long documents continue as
 * new every {@link #BATCHES_PER_RUN} batches to keep the history small.
 */
public class KbIndexingWorkflowImpl implements KbIndexingWorkflow {

  static final int BATCHES_PER_RUN = 500;
  static final String SUPERSEDED = "superseded";
  static final String READY = "ready";

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
      int total = prepared.batches();
      for (int batch = in.nextBatch(); batch < total; batch++) {
        if (batch - in.nextBatch() >= BATCHES_PER_RUN) {
          KbIndexingWorkflow next = Workflow.newContinueAsNewStub(KbIndexingWorkflow.class);
          return next.index(new KbIndexInput(in.companyId(), in.agentId(), in.documentId(), in.version(), batch));
        }
        int from = batch * prepared.batchSize();
        int to = Math.min(prepared.chunks(), from + prepared.batchSize());
        batches.embedBatch(new KbBatchInput(ref, batch, from, to));
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
