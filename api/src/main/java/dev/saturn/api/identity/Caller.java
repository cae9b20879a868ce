package dev.saturn.api.identity;

import dev.saturn.db.common.CompanyId;
import jakarta.servlet.http.HttpServletRequest;

/** Who made an authenticated request: the company and the API key. */
public record Caller(CompanyId company, String keyId) {

  static final String ATTRIBUTE = Caller.class.getName();

  /** The actor name written to rows that record who did something. */
  public String actor() {
    return "key:" + keyId;
  }

  public static Caller of(HttpServletRequest request) {
    Caller caller = (Caller) request.getAttribute(ATTRIBUTE);
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on " + request.getRequestURI());
    }
    return caller;
  }
}
