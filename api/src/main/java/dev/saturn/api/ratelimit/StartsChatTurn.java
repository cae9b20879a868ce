package dev.saturn.api.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that starts chat turns: besides the request buckets, each call takes a token from
 * the caller's and the company's chat-turn buckets. Read from the matched handler, so no spelling of
 * the path escapes it.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface StartsChatTurn {}
