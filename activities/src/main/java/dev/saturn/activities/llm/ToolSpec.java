package dev.saturn.activities.llm;

/** A tool offered to the model: its name, description and JSON Schema of the arguments. */
public record ToolSpec(String name, String description, String parametersJson) {}
