package dev.saturn.api.identity;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a handler. Every handler of ours carries exactly one rule: this annotation (a
 * company caller holding the permission), {@link Public} or {@link Operator}; a handler without
 * one is refused to everybody ({@code HandlerAuthorization}, a test fails on any such handler).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Requires {

  Permission value();

  /** Open to anyone, credentials or not (login, health, readiness). */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface Public {}

  /** Only the platform operator's token ({@link AdminToken}) may call it (company creation, the payload codec). */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface Operator {}

  /**
   * Besides company callers with the {@link Requires} permission, also the platform operator's
   * token, which carries no company and no {@link Caller}; the handler tells the two apart with
   * {@link dev.saturn.api.identity.Operator#isCurrent}.
   */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @Documented
  @interface OperatorAllowed {}
}
