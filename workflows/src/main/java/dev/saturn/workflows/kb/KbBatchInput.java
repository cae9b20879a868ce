package dev.saturn.workflows.kb;

/** Embed and upsert chunks {@code [fromChunk, toChunk)} of one document version: offsets, never text. */
public record KbBatchInput(KbDocumentRef ref, int batchNumber, int fromChunk, int toChunk) {}
