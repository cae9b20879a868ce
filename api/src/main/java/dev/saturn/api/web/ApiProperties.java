package dev.saturn.api.web;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param maxBodyBytes the largest request body accepted on a non-multipart request (uploads have
 *     their own multipart limits); larger answers 413 PAYLOAD_TOO_LARGE
 */
@Validated
@ConfigurationProperties("saturn.api")
public record ApiProperties(@DefaultValue("1048576") @Min(1) long maxBodyBytes) {}
