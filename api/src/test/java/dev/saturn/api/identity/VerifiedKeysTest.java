package dev.saturn.api.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.identity.ApiKeyRow;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class VerifiedKeysTest {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  final AtomicLong nanos = new AtomicLong();
  final VerifiedKeys keys = new VerifiedKeys(new ApiKeyProperties(Duration.ofHours(24), Duration.ofSeconds(5)), nanos::get);

  static ApiKeyRow key(String prefix, Instant lastUsedAt) {
    return new ApiKeyRow("k-" + prefix, "c", null, "n", prefix, "h", "[\"chat\"]", "active", NOW.minusSeconds(3600), null,
        lastUsedAt, null, null);
  }

  static Caller caller(String prefix) {
    return Caller.key(CompanyId.of("c"), "k-" + prefix, null, EnumSet.of(Permission.CHAT));
  }

  void keep(String prefix) {
    keys.keep(prefix, key(prefix, null), caller(prefix), keys.generation());
  }

  @Test
  void givenVerifiedKey_whenTheTtlPasses_itShouldBeReadAgain() {
    keep("p1");
    nanos.addAndGet(Duration.ofMillis(4999).toNanos());
    assertThat(keys.find("p1")).isPresent();

    nanos.addAndGet(Duration.ofMillis(2).toNanos());
    assertThat(keys.find("p1")).isEmpty();
  }

  @Test
  void givenVerifiedKeys_whenAChangeIsMade_itShouldForgetThemAll() {
    keep("p1");
    keep("p2");

    keys.forgetAll();

    assertThat(keys.find("p1")).isEmpty();
    assertThat(keys.find("p2")).isEmpty();
  }

  @Test
  void givenKeyReadBeforeAChange_whenKeptAfterIt_itShouldNotBeKept() {
    long readAt = keys.generation();
    keys.forgetAll(); // a revocation commits while the key's rows are being read

    keys.keep("p1", key("p1", null), caller("p1"), readAt);

    assertThat(keys.find("p1")).isEmpty();
  }

  @Test
  void givenChangeInATransaction_whenItCompletes_itShouldForgetWhatWasKeptMeanwhile() {
    TransactionSynchronizationManager.initSynchronization();
    try {
      keys.forgetAll();
      // Before the commit another request still reads the old rows, and keeps them.
      keep("p1");
      assertThat(keys.find("p1")).isPresent();

      TransactionSynchronizationManager.getSynchronizations()
          .forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));
    } finally {
      TransactionSynchronizationManager.clearSynchronization();
    }

    assertThat(keys.find("p1")).isEmpty();
  }

  @Test
  void givenZeroTtl_whenAKeyIsKept_itShouldNeverBeFound() {
    VerifiedKeys uncached = new VerifiedKeys(new ApiKeyProperties(Duration.ofHours(24), Duration.ZERO), nanos::get);
    uncached.keep("p1", key("p1", null), caller("p1"), uncached.generation());

    assertThat(uncached.find("p1")).isEmpty();
  }

  @Test
  void givenKeyUsedOftenWithinAMinute_whenAsked_itShouldWriteLastUsedOncePerMinute() {
    VerifiedKeys.Verified verified = keys.keep("p1", key("p1", NOW.minusSeconds(30)), caller("p1"), keys.generation());

    assertThat(verified.lastUsedDue(NOW)).isFalse(); // written 30 s ago (by any process)
    assertThat(verified.lastUsedDue(NOW.plusSeconds(30))).isTrue();
    assertThat(verified.lastUsedDue(NOW.plusSeconds(31))).isFalse();
    assertThat(verified.lastUsedDue(NOW.plusSeconds(89))).isFalse();
    assertThat(verified.lastUsedDue(NOW.plusSeconds(90))).isTrue();

    VerifiedKeys.Verified neverUsed = keys.keep("p2", key("p2", null), caller("p2"), keys.generation());
    assertThat(neverUsed.lastUsedDue(NOW)).isTrue();
    assertThat(neverUsed.lastUsedDue(NOW)).isFalse();
  }
}
