package dev.saturn.workflows.kb;

public record KbFailInput(KbDocumentRef ref, String errorCode, String message) {}
