package dev.saturn.activities.billing;

import dev.saturn.activities.llm.ProviderReply;
import dev.saturn.activities.llm.ProviderRequest;
import dev.saturn.activities.llm.TokenEstimator;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.usage.ProviderAttempt;
import dev.saturn.db.usage.ProviderAttemptRepository;
import dev.saturn.workflows.common.ErrorCode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records what each provider attempt cost, keyed by the running activity's workflow id, activity id
 * and attempt number: a retried attempt is a new row, a repeated write of the same attempt is not.
 * Best effort: a failed write is logged and never fails the model call (that would only cause
 * another paid attempt); billing never reads these rows.
 */
@Component
public class ProviderAttemptRecorder {

  private static final Logger log = LoggerFactory.getLogger(ProviderAttemptRecorder.class);

  /** Records nothing; for code paths and tests that do not track provider cost. */
  public static final ProviderAttemptRecorder NONE = new ProviderAttemptRecorder(null, Clock.systemUTC());

  private final ProviderAttemptRepository attempts;
  private final Clock clock;

  public ProviderAttemptRecorder(ProviderAttemptRepository attempts, Clock clock) {
    this.attempts = attempts;
    this.clock = clock;
  }

  public Instant now() {
    return clock.instant();
  }

  /** The target identifies the call: company, agent and turn (either may be null). */
  public record Target(String companyId, String agentId, String turnId) {}

  public void succeeded(Target target, String provider, ProviderReply reply, Instant startedAt) {
    try {
      succeededOrThrow(target, provider, reply, startedAt);
    } catch (RuntimeException e) {
      log.warn("could not record the provider attempt ({} {}): {}", provider, ProviderAttempt.SUCCEEDED, e.toString());
    }
  }

  /**
   * {@link #succeeded}, as one write of the caller's transaction (so it costs no commit of its own):
   * throws what the write throws, and the caller, whose own writes must not fail for this one, runs
   * its transaction again without it and then {@link #succeeded} (see {@code LlmActivitiesImpl}).
   */
  public void succeededOrThrow(Target target, String provider, ProviderReply reply, Instant startedAt) {
    recordOrThrow(target, provider, reply.model(), reply.inputTokens(), reply.outputTokens(), reply.estimated(),
        ProviderAttempt.SUCCEEDED, null, startedAt);
  }

  /** The prompt's tokens are estimated (the provider was sent them, and may charge for them); output is unknown. */
  public void failed(Target target, String provider, ProviderRequest request, RuntimeException error, Instant startedAt) {
    String code = error instanceof ApplicationFailure app ? app.getType() : ErrorCode.INTERNAL_ERROR.name();
    record(target, provider, request.model(), TokenEstimator.promptTokens(request.messages()), 0, true,
        ProviderAttempt.FAILED, code, startedAt);
  }

  private void record(Target target, String provider, String model, long in, long out, boolean estimated,
      String outcome, String errorCode, Instant startedAt) {
    try {
      recordOrThrow(target, provider, model, in, out, estimated, outcome, errorCode, startedAt);
    } catch (RuntimeException e) {
      log.warn("could not record the provider attempt ({} {}): {}", provider, outcome, e.toString());
    }
  }

  private void recordOrThrow(Target target, String provider, String model, long in, long out, boolean estimated,
      String outcome, String errorCode, Instant startedAt) {
    if (attempts == null) {
      return;
    }
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    attempts.recordOnce(CompanyId.of(target.companyId()), new ProviderAttempt(
        Ids.newId(), target.companyId(), target.agentId(), target.turnId(), info.getWorkflowId(),
        info.getActivityId(), info.getAttempt(), provider, model, in, out, estimated, outcome, errorCode,
        startedAt, clock.instant()));
  }
}
