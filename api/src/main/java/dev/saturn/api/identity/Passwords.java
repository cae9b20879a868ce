package dev.saturn.api.identity;

import dev.saturn.api.web.ApiException;
import dev.saturn.workflows.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password hashing with BCrypt (cost 10, salted, ~50-100 ms per check), from Spring Security's
 * crypto module; Argon2 would need BouncyCastle as well. BCrypt reads at most 72 bytes, so longer
 * passwords are refused rather than silently cut.
 *
 * <p>Every hash and check runs on a small bounded pool: BCrypt is deliberately slow, so without a
 * bound a flood of logins would take every request thread and CPU. A full pool answers 429
 * {@code RATE_LIMITED} at once instead of queueing without end.
 */
@Component
public class Passwords implements DisposableBean {

  public static final int MIN_LENGTH = 8;
  public static final int MAX_BYTES = 72;

  private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(10);
  /** Checked against when there is no real hash, so a miss costs the same time as a wrong password. */
  private final String dummyHash = encoder.encode("no-such-user-password");
  private final ThreadPoolExecutor pool;
  private final Duration wait;

  @Autowired
  Passwords(AuthProperties properties) {
    this(properties.login().threads(), properties.login().hashingQueue(), properties.login().hashingWait());
  }

  Passwords(int threads, int queue, Duration wait) {
    AtomicInteger count = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
        queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
        runnable -> {
          Thread thread = new Thread(runnable, "bcrypt-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
    this.wait = wait;
  }

  /** Null when the password is acceptable, else why not (for a field error). */
  public static String problem(String password) {
    if (password.length() < MIN_LENGTH) {
      return "must be at least " + MIN_LENGTH + " characters";
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "must be at most " + MAX_BYTES + " bytes";
    }
    return null;
  }

  public String hash(String password) {
    return bounded(() -> encoder.encode(password));
  }

  /**
   * Whether {@code password} matches {@code storedHash}; with no stored hash (unknown user, user
   * without a password) it still spends one BCrypt check and answers false.
   */
  public boolean matches(String password, String storedHash) {
    boolean usable = password != null && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    String candidate = usable ? password : "";
    boolean matched = bounded(() -> encoder.matches(candidate, storedHash == null ? dummyHash : storedHash));
    return usable && storedHash != null && matched;
  }

  private <T> T bounded(Callable<T> work) {
    Future<T> future;
    try {
      future = pool.submit(work);
    } catch (RejectedExecutionException full) {
      throw busy();
    }
    try {
      return future.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException slow) {
      future.cancel(true);
      throw busy();
    } catch (InterruptedException interrupted) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw busy();
    } catch (ExecutionException failed) {
      throw new IllegalStateException("password hashing failed", failed.getCause());
    }
  }

  private static ApiException busy() {
    return ApiException.of(ErrorCode.RATE_LIMITED, "Too many password checks in progress; retry after 1 s")
        .withHeader("Retry-After", "1");
  }

  @Override
  public void destroy() {
    pool.shutdownNow();
  }
}
