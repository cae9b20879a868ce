package dev.saturn.db.billing;

/** How many events a draft bills and the SHA-256 (hex) of their ids in ascending order, each followed by a newline. */
public record EventSetDigest(long count, String sha256) {}
