package dev.saturn.api.console;

import dev.saturn.api.ApiController;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Controller;

/**
 * A page controller of the web console ({@code /console}): served only by the console's filter
 * chain (session cookie, CSRF), refused by the API's; its handlers carry the same {@code @Requires}
 * rules as the API's, decided on the signed-in user's role. Present with the {@code api} role.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
@ConditionalOnExpression(ApiController.API_ROLE_ENABLED)
public @interface ConsoleController {

  /** Everything of the console lives under this path; the session cookie is scoped to it. */
  String ROOT = "/console";
}
