package dev.saturn.api.kb;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code saturn.kb.upload}: the largest document accepted. Spring's multipart limit
 * ({@code spring.servlet.multipart.max-file-size}) is set from the same value, so a larger upload is
 * refused while it streams, before it is buffered; both answer 413 {@code PAYLOAD_TOO_LARGE}.
 */
@Validated
@ConfigurationProperties("saturn.kb.upload")
public record KbUploadProperties(@DefaultValue("20971520") @Positive long maxBytes) {}
