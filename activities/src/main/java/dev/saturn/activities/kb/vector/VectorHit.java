package dev.saturn.activities.kb.vector;

/** @param score cosine similarity of the chunk's vector and the query vector, in [-1, 1] */
public record VectorHit(String documentId, int version, int chunkIndex, String title, String text, double score) {}
