package dev.saturn.api.identity;

import dev.saturn.api.web.ApiException;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * The operator console's sign-in: the operator token, checked as the API checks it ({@link AdminToken},
 * constant time), throttled like the console's sign-in form ({@link LoginThrottle}, the console's door,
 * per client address so one guesser waits alone).
 */
@Component
public class OperatorSignIn {

  /** The throttle's account key of operator-token attempts (with the client address). */
  private static final String THROTTLE_SCOPE = "console-operator";
  private static final int MAX_TOKEN_LENGTH = 1000;

  private final AdminToken adminToken;
  private final LoginThrottle throttle;

  OperatorSignIn(AdminToken adminToken, LoginThrottle throttle) {
    this.adminToken = adminToken;
    this.throttle = throttle;
  }

  /**
   * @return the operator's authentication, or empty for a wrong token
   * @throws ApiException 429 RATE_LIMITED while this address must wait
   */
  public Optional<Authentication> signIn(String clientAddress, String token) {
    throttle.admit(LoginThrottle.Door.CONSOLE, clientAddress, THROTTLE_SCOPE, clientAddress);
    if (token == null || token.length() > MAX_TOKEN_LENGTH || !adminToken.matches(token)) {
      throttle.failed(THROTTLE_SCOPE, clientAddress);
      return Optional.empty();
    }
    throttle.succeeded(THROTTLE_SCOPE, clientAddress);
    return Optional.of(OperatorAuthentication.INSTANCE);
  }
}
