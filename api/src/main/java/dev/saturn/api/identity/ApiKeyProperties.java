package dev.saturn.api.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param keyRotationGrace how long a rotated key keeps working after its replacement is issued
 */
@ConfigurationProperties("saturn.auth")
public record ApiKeyProperties(@DefaultValue("24h") Duration keyRotationGrace) {}
