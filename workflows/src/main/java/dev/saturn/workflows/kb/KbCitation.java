package dev.saturn.workflows.kb;

/** One passage an answer drew on; {@code snippet} is its first few hundred characters. */
public record KbCitation(String documentId, String title, int chunkIndex, double score, String snippet) {}
