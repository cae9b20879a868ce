package dev.saturn.api.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's session cookie ({@code saturn.console.*}).
 *
 * @param cookieSecure the session cookie's Secure flag; browsers accept it on http://localhost too,
 *     so turn it off only behind a plain-HTTP proxy on another host
 * @param sessionTimeout how long an idle console session lives
 */
@ConfigurationProperties("saturn.console")
public record ConsoleProperties(@DefaultValue("true") boolean cookieSecure, @DefaultValue("8h") Duration sessionTimeout) {

  /** The console's session cookie; scoped to {@link ConsoleController#ROOT}, so the API never receives it. */
  public static final String COOKIE = "SATURN_CONSOLE";
}
