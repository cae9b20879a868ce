package dev.saturn.db.kb;

import java.time.Instant;

/**
 * One uploaded document. {@code version} is the version being (or last) indexed; {@code
 * readyVersion} the one retrieval serves, which stays on the old version while a reindex runs.
 * Progress ({@code chunksDone}/{@code chunksTotal}) belongs to {@code version}.
 */
public record KbDocumentRow(
    String id,
    String companyId,
    String agentId,
    String title,
    String contentType,
    long sizeBytes,
    String blobRef,
    String status,
    int version,
    Integer readyVersion,
    Integer chunksTotal,
    int chunksDone,
    String embeddingModel,
    String errorCode,
    String error,
    Instant createdAt,
    Instant updatedAt,
    Instant indexedAt) {}
