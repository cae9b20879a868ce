package dev.saturn.workflows.webhooks;

/** One sweep: how many undelivered events it found and how many fan-outs it started (the rest ran already). */
public record RelayResult(int found, int started) {}
