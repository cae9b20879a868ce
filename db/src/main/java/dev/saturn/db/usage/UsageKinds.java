package dev.saturn.db.usage;

/** The kinds of usage event SATURN records; invoices price each kind differently. */
public final class UsageKinds {

  private UsageKinds() {}

  /** One model call: input and output tokens, quantity 1. */
  public static final String LLM = "llm";

  /** One embedding batch: its tokens in input_tokens. */
  public static final String EMBEDDING = "embedding";

  /** One tool call: quantity 1. */
  public static final String TOOL_CALL = "tool_call";
}
