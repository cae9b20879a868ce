package dev.saturn.workflows.kb;

/** @param resumedFrom the chunk the attempt started at (above {@code fromChunk} when it resumed from a heartbeat) */
public record KbBatchResult(int embedded, long tokens, int resumedFrom) {}
