package dev.saturn.api.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * @param open {@code saturn.api-docs.public}: the OpenAPI document ({@code /v3/api-docs}) and
 *     Swagger UI answer without credentials; false: any company credential or the operator token
 *     is needed. The document describes the API, never a tenant's data.
 */
@ConfigurationProperties("saturn.api-docs")
public record ApiDocsProperties(@Name("public") @DefaultValue("true") boolean open) {}
