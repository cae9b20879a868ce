package dev.saturn.db.identity;

import java.time.Instant;

public record UserRow(String id, String companyId, String email, String name, Role role, String status, Instant createdAt) {}
