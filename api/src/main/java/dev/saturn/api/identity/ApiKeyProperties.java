package dev.saturn.api.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param keyRotationGrace how long a rotated key keeps working after its replacement is issued
 * @param apiKeyCacheTtl how long a process may authenticate a key from what it verified in the
 *     database ({@link VerifiedKeys}) before it reads the key, its owner and its company again: the
 *     bound on how late another process sees a revocation, rotation, deactivation or suspension (this
 *     process forgets its verified keys when it makes such a change); zero reads the database on
 *     every request
 */
@ConfigurationProperties("saturn.auth")
public record ApiKeyProperties(
    @DefaultValue("24h") Duration keyRotationGrace, @DefaultValue("5s") Duration apiKeyCacheTtl) {

  public ApiKeyProperties {
    if (apiKeyCacheTtl.isNegative()) {
      throw new IllegalArgumentException("saturn.auth.api-key-cache-ttl must not be negative");
    }
  }

}
