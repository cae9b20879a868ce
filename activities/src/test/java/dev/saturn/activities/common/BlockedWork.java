package dev.saturn.activities.common;

import java.util.concurrent.CountDownLatch;

/** Work that holds one thread of a pool until closed; for tests that need a busy or full pool. */
public final class BlockedWork implements AutoCloseable {

  private final CountDownLatch release = new CountDownLatch(1);

  private BlockedWork() {}

  public static BlockedWork occupy(HeartbeatingPool pool) {
    BlockedWork work = new BlockedWork();
    pool.submit(work::hold);
    return work;
  }

  private Object hold() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  @Override
  public void close() {
    release.countDown();
  }
}
