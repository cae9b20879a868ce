package dev.saturn.db.identity;

import java.time.Instant;

public record CompanyRow(String id, String name, String planId, String status, Instant createdAt) {}
