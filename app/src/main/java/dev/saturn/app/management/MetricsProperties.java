package dev.saturn.app.management;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code saturn.metrics.*}.
 *
 * @param stateCache how long the state gauges (pending approvals, knowledge-base documents by
 *     status) reuse their last database count; scrapes within it cost no query. {@code 0} counts at
 *     every scrape
 */
@ConfigurationProperties("saturn.metrics")
public record MetricsProperties(@DefaultValue("10s") Duration stateCache) {

  public MetricsProperties {
    stateCache = stateCache == null || stateCache.isNegative() ? Duration.ofSeconds(10) : stateCache;
  }
}
