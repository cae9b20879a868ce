package dev.saturn.app.runtime.database;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether {@code saturn.db.url} holds a URL. {@code @ConditionalOnProperty} would not do: it
 * counts the empty string that {@code ${SATURN_DB_URL:}} binds as present.
 */
abstract class DatabaseUrlCondition extends SpringBootCondition {

  static final String PROPERTY = "saturn.db.url";

  private final boolean matchWhenPresent;

  DatabaseUrlCondition(boolean matchWhenPresent) {
    this.matchWhenPresent = matchWhenPresent;
  }

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    boolean present = !DatabaseProperties.isBlank(context.getEnvironment().getProperty(PROPERTY));
    String state = PROPERTY + (present ? " is set" : " is empty");
    return present == matchWhenPresent
        ? ConditionOutcome.match(state)
        : ConditionOutcome.noMatch(state);
  }

  static final class Present extends DatabaseUrlCondition {
    Present() {
      super(true);
    }
  }

  static final class Absent extends DatabaseUrlCondition {
    Absent() {
      super(false);
    }
  }
}
