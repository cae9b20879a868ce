package dev.saturn.workflows.tools;

import java.util.List;

/** The outcomes of one model step's tool calls, in the order the model asked for them. */
public record ToolResultsInput(String companyId, String sessionId, String turnId, int step, List<ToolOutcome> outcomes) {}
