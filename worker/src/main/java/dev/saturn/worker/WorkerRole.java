package dev.saturn.worker;

/** SpEL for {@code @ConditionalOnExpression}: the process runs the worker role (saturn.roles, default both). */
public final class WorkerRole {

  private WorkerRole() {}

  public static final String ENABLED = "'${saturn.roles:api,worker}'.toLowerCase().contains('worker')";
}
