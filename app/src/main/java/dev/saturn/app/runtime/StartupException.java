package dev.saturn.app.runtime;

/**
 * A startup failure whose cause and fix SATURN knows; {@link
 * dev.saturn.app.runtime.diagnostics.StartupFailureAnalyzer} reports it as
 * Spring Boot's "APPLICATION FAILED TO START" description and action instead of a stack trace.
 */
public class StartupException extends IllegalStateException {

  private final String description;
  private final String action;

  /**
   * @param description what went wrong, one sentence
   * @param action how to fix it, naming the setting (and its environment variable) to change
   */
  public StartupException(String description, String action) {
    this(description, action, null);
  }

  public StartupException(String description, String action, Throwable cause) {
    // Both in the message, so a log without the analyzer (a test, a plain stack trace) says it too.
    super(description + " " + action, cause);
    this.description = description;
    this.action = action;
  }

  public String description() {
    return description;
  }

  public String action() {
    return action;
  }
}
