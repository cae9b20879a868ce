package dev.saturn.db.kb;

/** A document retrieval may cite: its served version and its title. */
public record ReadyDocument(String id, int readyVersion, String title) {}
