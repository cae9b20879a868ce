package dev.saturn.workflows.kb;

public record KbDeleteInput(String companyId, String agentId, String documentId) {}
