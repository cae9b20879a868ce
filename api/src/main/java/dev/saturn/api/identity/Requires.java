package dev.saturn.api.identity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission an endpoint needs. Every handler under {@code /v1} carries one (a test fails on
 * any that does not), except {@link Public} ones; {@link PermissionInterceptor} enforces it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Requires {

  Permission value();

  /** Marks a /v1 endpoint that authenticates differently (operator token, login) and needs no permission. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface Public {}

  /**
   * Also open to the platform operator's token ({@link AdminToken}), which carries no company and
   * no {@link Caller}; the handler tells the two apart with {@link Operator#is}. The
   * authentication filter accepts the operator token only on the paths in {@link Operator#PATHS}.
   */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface OperatorAllowed {}
}
