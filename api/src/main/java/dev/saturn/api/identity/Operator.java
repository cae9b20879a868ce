package dev.saturn.api.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * A request made with the platform operator's token ({@link AdminToken}) on one of the few
 * endpoints that accept it besides company creation. It acts for no company: there is no
 * {@link Caller}, and the handler must say which company it means.
 */
public final class Operator {

  /** POST paths on which the operator token authenticates (the handlers carry {@link Requires.OperatorAllowed}). */
  static final Set<String> PATHS = Set.of("/v1/invoices/generate");

  static final String ATTRIBUTE = Operator.class.getName();

  private Operator() {}

  public static boolean is(HttpServletRequest request) {
    return Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE));
  }
}
