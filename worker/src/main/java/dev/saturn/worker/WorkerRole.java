package dev.saturn.worker;

import java.util.Locale;
import org.springframework.core.env.Environment;

/** Whether this process runs the worker role ({@code saturn.roles}, default both roles). */
public final class WorkerRole {

  private WorkerRole() {}

  /** SpEL for {@code @ConditionalOnExpression}. */
  public static final String ENABLED = "'${saturn.roles:api,worker}'.toLowerCase().contains('worker')";

  /** The same decision in Java, for code that runs before any bean exists. */
  public static boolean isEnabled(Environment environment) {
    return environment.getProperty("saturn.roles", "api,worker").toLowerCase(Locale.ROOT).contains("worker");
  }
}
