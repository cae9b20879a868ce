package dev.saturn.db.kb;

/** One retrieved passage of a chat turn, in rank order (0 = best). */
public record TurnPassage(
    int rank, String documentId, int documentVersion, int chunkIndex, String title, double score, String content) {}
