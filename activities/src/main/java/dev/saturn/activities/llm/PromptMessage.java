package dev.saturn.activities.llm;

/** One message of a prompt; {@code role} is {@code "system"}, {@code "user"} or {@code "assistant"}. */
public record PromptMessage(String role, String content) {

  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  public static PromptMessage system(String content) {
    return new PromptMessage(SYSTEM, content);
  }

  public static PromptMessage user(String content) {
    return new PromptMessage(USER, content);
  }

  public static PromptMessage assistant(String content) {
    return new PromptMessage(ASSISTANT, content);
  }
}
