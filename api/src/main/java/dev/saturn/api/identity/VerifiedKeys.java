package dev.saturn.api.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.saturn.db.identity.ApiKeyRow;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * API keys this process verified in the database a moment ago, by public prefix: the key's row, the
 * {@link Caller} it made (scopes cut to the owner's role, owner active) and that its company was not
 * suspended. {@link ApiKeyProvider} authenticates a key from here for
 * {@code saturn.auth.api-key-cache-ttl} (5 s) after it read it, instead of reading the key, its owner
 * and its company on every request. What is kept is no secret: the presented key is still hashed and
 * compared in constant time with the stored hash, and the key's expiry and grace period are checked
 * against the clock on every request.
 *
 * <p>A revocation, rotation, role change, deactivation or suspension made by this process
 * {@linkplain #forgetAll forgets every verified key} once its transaction commits, so it applies here at
 * once; one made by another process applies here within the TTL. A key verified while such a change
 * is being forgotten is not kept.
 */
@Component
public class VerifiedKeys {

  /** {@code last_used_at} is written at most once per key per this interval (the repository's rule too). */
  static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);

  /** A key as verified: its row, its caller, and when this process last saw its {@code last_used_at}. */
  static final class Verified {
    final ApiKeyRow key;
    final Caller caller;
    private final AtomicReference<Instant> lastUsed;

    Verified(ApiKeyRow key, Caller caller) {
      this.key = key;
      this.caller = caller;
      this.lastUsed = new AtomicReference<>(key.lastUsedAt());
    }

    /** True once per {@link #LAST_USED_EVERY} for this entry: the caller then writes {@code last_used_at}. */
    boolean lastUsedDue(Instant now) {
      Instant seen = lastUsed.get();
      return (seen == null || !seen.isAfter(now.minus(LAST_USED_EVERY))) && lastUsed.compareAndSet(seen, now);
    }
  }

  private final Cache<String, Verified> byPrefix;
  private final boolean enabled;
  /** Counts {@link #forgetAll} calls: a key read before one of them is not kept. */
  private final AtomicLong generation = new AtomicLong();

  @Autowired
  VerifiedKeys(ApiKeyProperties properties) {
    this(properties, Ticker.systemTicker());
  }

  /** @param ticker the TTL's time source (tests) */
  VerifiedKeys(ApiKeyProperties properties, Ticker ticker) {
    Duration ttl = properties.apiKeyCacheTtl();
    this.enabled = !ttl.isZero();
    this.byPrefix = Caffeine.newBuilder().maximumSize(10_000).ticker(ticker)
        .expireAfterWrite(enabled ? ttl : Duration.ofNanos(1)).build();
  }

  Optional<Verified> find(String prefix) {
    return enabled ? Optional.ofNullable(byPrefix.getIfPresent(prefix)) : Optional.empty();
  }

  /** The generation to pass to {@link #keep}: read it before reading the key from the database. */
  long generation() {
    return generation.get();
  }

  /** Keeps a key verified from rows read after {@code readAt} (a {@link #generation()}), unless forgotten since. */
  Verified keep(String prefix, ApiKeyRow key, Caller caller, long readAt) {
    Verified verified = new Verified(key, caller);
    if (enabled && generation.get() == readAt) {
      byPrefix.put(prefix, verified);
      // A forgetAll between the check and the put: its invalidateAll may have run before the put.
      if (generation.get() != readAt) {
        byPrefix.invalidate(prefix);
      }
    }
    return verified;
  }

  /**
   * Forgets every verified key, now and again when the current transaction commits (before the commit
   * a request could still read, and keep, the old rows). For any change to who a key authenticates as:
   * a key revoked or rotated, a user's role or status changed, a company suspended or reactivated.
   */
  public void forgetAll() {
    forgetNow();
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCompletion(int status) {
          forgetNow();
        }
      });
    }
  }

  private void forgetNow() {
    generation.incrementAndGet();
    byPrefix.invalidateAll();
  }

  /** Keys verified now; for tests. */
  long size() {
    byPrefix.cleanUp();
    return byPrefix.estimatedSize();
  }
}
