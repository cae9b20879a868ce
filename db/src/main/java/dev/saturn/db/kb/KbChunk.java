package dev.saturn.db.kb;

public record KbChunk(String documentId, int version, int chunkIndex, String content, int tokenCount) {}
