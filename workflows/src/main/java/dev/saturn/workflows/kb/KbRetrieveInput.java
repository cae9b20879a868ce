package dev.saturn.workflows.kb;

/** Ids only: the activity reads the question (the turn's user message) and the agent's KB settings itself. */
public record KbRetrieveInput(String companyId, String agentId, int agentVersion, String turnId) {}
