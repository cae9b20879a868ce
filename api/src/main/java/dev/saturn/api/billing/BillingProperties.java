package dev.saturn.api.billing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param generateWait how long {@code POST /v1/invoices/generate} waits for the draft before answering 202
 * @param quotaCacheTtl how long a company's used tokens are cached for the quota check (0: not cached)
 * @param quotaWarningPercent from this share of the monthly token quota on, chat answers carry a warning
 */
@Validated
@ConfigurationProperties("saturn.billing")
public record BillingProperties(
    @DefaultValue("30s") Duration generateWait,
    @DefaultValue("5s") Duration quotaCacheTtl,
    @DefaultValue("80") @Min(1) @Max(100) int quotaWarningPercent) {}
