package dev.saturn.workflows.kb;

/** @param status {@code ready}, or {@code superseded} when a newer version or a delete overtook this one */
public record KbIndexResult(String documentId, int version, String status, int chunks) {}
