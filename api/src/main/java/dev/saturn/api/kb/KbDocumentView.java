package dev.saturn.api.kb;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.saturn.db.kb.KbDocumentRow;
import java.time.Instant;

/**
 * A knowledge-base document as the API shows it. {@code version} is the version being (or last)
 * indexed, {@code ready_version} the one answers are drawn from (it stays on the old version during
 * a reindex); {@code progress} counts chunks of {@code version}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record KbDocumentView(
    String id,
    String agentId,
    String title,
    String contentType,
    long sizeBytes,
    String status,
    int version,
    Integer readyVersion,
    Progress progress,
    String embeddingModel,
    Error error,
    Instant createdAt,
    Instant updatedAt,
    Instant indexedAt) {

  /** @param chunksTotal null until the text has been split */
  record Progress(int chunksDone, Integer chunksTotal) {}

  record Error(String code, String message) {}

  static KbDocumentView of(KbDocumentRow row) {
    return new KbDocumentView(
        row.id(),
        row.agentId(),
        row.title(),
        row.contentType(),
        row.sizeBytes(),
        row.status(),
        row.version(),
        row.readyVersion(),
        new Progress(row.chunksDone(), row.chunksTotal()),
        row.embeddingModel(),
        row.errorCode() == null ? null : new Error(row.errorCode(), row.error()),
        row.createdAt(),
        row.updatedAt(),
        row.indexedAt());
  }
}
