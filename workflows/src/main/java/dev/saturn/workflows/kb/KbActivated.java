package dev.saturn.workflows.kb;

/**
 * @param activated the version now serves retrieval
 * @param previousVersion the version served before, whose vectors are now to be deleted; null if none
 */
public record KbActivated(boolean activated, Integer previousVersion) {}
