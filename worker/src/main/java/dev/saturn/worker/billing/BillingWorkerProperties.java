package dev.saturn.worker.billing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The billing worker ({@code saturn.billing.worker.*}).
 *
 * @param concurrentDrafts invoice drafts one worker computes at once. Each holds a database
 *     connection for its whole aggregation, so this must stay well below the connection pool
 *     (Hikari's default is 10, shared with the chat worker and the API); more does not make a
 *     database-bound run faster. In the benchmark, Temporal's default (200) exhausted the pool
 *     and drafts failed after the pool's 30 s timeout
 */
@ConfigurationProperties("saturn.billing.worker")
public record BillingWorkerProperties(@DefaultValue("4") int concurrentDrafts) {

  public BillingWorkerProperties {
    if (concurrentDrafts < 1) {
      throw new IllegalArgumentException("saturn.billing.worker.concurrent-drafts must be at least 1");
    }
  }
}
