package dev.saturn.api.identity;

import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Whether the current request was made with the platform operator's token ({@link AdminToken}).
 * It acts for no company: there is no {@link Caller}, and the handler must say which company it
 * means.
 */
public final class Operator {

  private Operator() {}

  public static boolean isCurrent() {
    return SecurityContextHolder.getContext().getAuthentication() instanceof OperatorAuthentication;
  }
}
