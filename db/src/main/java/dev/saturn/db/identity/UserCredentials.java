package dev.saturn.db.identity;

/** What login needs about a user; {@code passwordHash} is null for a user who has no password yet. */
public record UserCredentials(String userId, String companyId, String passwordHash, Role role, String status) {}
