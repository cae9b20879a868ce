package dev.saturn.workflows.billing;

/** Companies after {@code afterCompanyId} (null: from the first), at most {@code limit}. */
public record CompanyPageQuery(String period, String afterCompanyId, int limit) {}
