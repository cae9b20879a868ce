package dev.saturn.activities.common;

import dev.saturn.workflows.common.ErrorCode;
import io.opentelemetry.context.Context;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs an activity's slow work (a model call, a document parse) on a bounded pool while the
 * activity's own thread heartbeats, so that a dead worker is noticed by the heartbeat timeout.
 *
 * <p>At most {@code threads} pieces of work run and {@code queue} wait; a full pool fails the
 * attempt at once with a retryable {@code SERVICE_UNAVAILABLE} (Temporal retries it with backoff)
 * instead of blocking the activity thread or growing without bound. When the activity gives up (a
 * heartbeat throws because Temporal cancelled it or timed it out, the attempt fails, or the worker
 * interrupts the activity thread) the work is cancelled with {@link Future#cancel(boolean)
 * cancel(true)}, which interrupts its thread; {@code CompletableFuture.cancel} would not, and the
 * abandoned work would go on beside its retry. Work that ignores interrupts still holds its thread
 * until it ends, which is why it needs limits of its own.
 */
public final class HeartbeatingPool implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HeartbeatingPool.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final String name;
  private final ThreadPoolExecutor executor;

  /**
   * @param name thread name prefix and the pool's name in failures and logs
   * @param threads most pieces of work running at once
   * @param queue most pieces of work waiting for a thread; 0 for none
   */
  public HeartbeatingPool(String name, int threads, int queue) {
    if (threads < 1 || queue < 0) {
      throw new IllegalArgumentException(name + ": threads must be >= 1 and queue >= 0");
    }
    this.name = name;
    BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
    AtomicInteger count = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, waiting, runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.AbortPolicy());
    // Idle threads go away; a pool that is never used costs nothing (API-only processes).
    this.executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code work} on the pool, heartbeating the current activity every {@code heartbeatEvery}
   * until it ends, and returns its result or throws what it threw.
   *
   * @throws ApplicationFailure of type {@code SERVICE_UNAVAILABLE}, retryable, when the pool is
   *     full or this worker is stopping
   */
  public <T> T run(Supplier<T> work, Duration heartbeatEvery) {
    return submit(work).await(heartbeatEvery);
  }

  /**
   * Hands {@code work} to the pool; {@link Submitted#await} then waits for it. Separate from
   * {@link #run} for callers that must tell "never started" from "failed".
   *
   * @throws ApplicationFailure of type {@code SERVICE_UNAVAILABLE}, retryable, when the pool is full
   */
  public <T> Submitted<T> submit(Supplier<T> work) {
    // The work belongs to the submitting activity: its spans are children of the activity's, its log
    // lines carry the same trace, turn and tenant.
    Context trace = Context.current();
    Map<String, String> logging = MDC.getCopyOfContextMap();
    try {
      return new Submitted<>(executor.submit(() -> {
        Map<String, String> before = MDC.getCopyOfContextMap();
        setMdc(logging);
        try (var ignored = trace.makeCurrent()) {
          return work.get();
        } finally {
          setMdc(before);
        }
      }));
    } catch (RejectedExecutionException full) {
      throw ApplicationFailure.newFailure(
          name + " is busy on this worker (" + executor.getActiveCount() + " running, "
              + executor.getQueue().size() + " waiting" + (executor.isShutdown() ? ", shutting down" : "")
              + "); the attempt is retried",
          ErrorCode.SERVICE_UNAVAILABLE.name());
    }
  }

  private static void setMdc(Map<String, String> values) {
    if (values == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(values);
    }
  }

  /** Work on the pool, cancelled (interrupted) whenever {@link #await} ends without its result. */
  public final class Submitted<T> {

    private final Future<T> future;

    private Submitted(Future<T> future) {
      this.future = future;
    }

    /**
     * Waits for the work, heartbeating the current activity every {@code heartbeatEvery}.
     *
     * @throws ApplicationFailure of type {@code SERVICE_UNAVAILABLE}, retryable, when this worker
     *     is stopping
     */
    public T await(Duration heartbeatEvery) {
      return await(heartbeatEvery, context -> context.heartbeat(null));
    }

    /**
     * Waits for the work, running {@code tick} on this (the activity's) thread whenever the work
     * has not ended {@code every} after the last check; {@code every} may be zero when {@code
     * tick} waits itself (for something the work signals). {@code tick} must heartbeat often
     * enough for the activity's heartbeat timeout. Whatever it throws ends the wait and stops the
     * work, like a heartbeat that throws because Temporal cancelled the activity.
     *
     * @throws ApplicationFailure of type {@code SERVICE_UNAVAILABLE}, retryable, when this worker
     *     is stopping
     */
    public T await(Duration every, Consumer<ActivityExecutionContext> tick) {
      try {
        ActivityExecutionContext context = Activity.getExecutionContext();
        while (true) {
          try {
            return future.get(every.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException stillWorking) {
            // A heartbeat throws once Temporal has cancelled or timed out the activity; the finally stops the work.
            tick.accept(context);
          }
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new IllegalStateException(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApplicationFailure.newFailureWithCause(
            name + ": the worker is stopping; the attempt is retried", ErrorCode.SERVICE_UNAVAILABLE.name(), e);
      } finally {
        future.cancel(true);
      }
    }
  }

  /** Threads running work now; for tests and metrics. */
  public int active() {
    return executor.getActiveCount();
  }

  /** Interrupts whatever still runs (the worker has drained by now) and waits briefly for it. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{}: {} threads still busy {} after being interrupted", name, executor.getActiveCount(), STOP_GRACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "[threads=" + executor.getMaximumPoolSize() + ", queue="
        + (executor.getQueue().remainingCapacity() + executor.getQueue().size()) + "]";
  }
}
