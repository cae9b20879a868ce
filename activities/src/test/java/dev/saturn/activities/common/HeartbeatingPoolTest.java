package dev.saturn.activities.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The pool's bounds and shutdown; waiting inside an activity is covered by the LLM and KB activity tests. */
class HeartbeatingPoolTest {

  @Test
  void givenAFullThreadAndAFullQueue_whenMoreWorkArrives_itShouldRefuseItRetryablyAndRunTheQueuedWorkLater()
      throws Exception {
    try (HeartbeatingPool pool = new HeartbeatingPool("test-pool", 1, 1)) {
      CountDownLatch queuedRan = new CountDownLatch(1);
      try (BlockedWork running = BlockedWork.occupy(pool)) {
        pool.submit(() -> {
          queuedRan.countDown();
          return null;
        });

        assertThatThrownBy(() -> pool.submit(() -> "third"))
            .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
              assertThat(f.getType()).isEqualTo("SERVICE_UNAVAILABLE");
              assertThat(f.isNonRetryable()).isFalse();
              assertThat(f.getOriginalMessage()).startsWith("test-pool is busy on this worker (1 running, 1 waiting)");
            });
      }
      assertThat(queuedRan.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void givenRunningWork_whenThePoolCloses_itShouldInterruptItAndRefuseNewWork() throws Exception {
    HeartbeatingPool pool = new HeartbeatingPool("test-pool", 2, 0);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    pool.submit(() -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.set(true);
      }
      return null;
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    pool.close();

    assertThat(interrupted).isTrue();
    assertThat(pool.active()).isZero();
    assertThatThrownBy(() -> pool.submit(() -> "late"))
        .isInstanceOfSatisfying(ApplicationFailure.class,
            f -> assertThat(f.getOriginalMessage()).contains("shutting down"));
  }
}
