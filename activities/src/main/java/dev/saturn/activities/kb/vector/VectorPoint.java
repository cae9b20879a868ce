package dev.saturn.activities.kb.vector;

import java.util.UUID;

/**
 * One chunk's vector with what retrieval shows of it. {@link #id()} is derived from document,
 * version and chunk index, so writing the same chunk again overwrites instead of adding a copy.
 */
public record VectorPoint(String documentId, int version, int chunkIndex, String title, String text, float[] vector) {

  public UUID id() {
    return pointId(documentId, version, chunkIndex);
  }

  public static UUID pointId(String documentId, int version, int chunkIndex) {
    return UUID.nameUUIDFromBytes(("kb-chunk:" + documentId + ":" + version + ":" + chunkIndex)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
