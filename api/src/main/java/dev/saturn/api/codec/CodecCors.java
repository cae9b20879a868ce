package dev.saturn.api.codec;

import java.time.Duration;
import java.util.List;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call the codec endpoint from a browser: the Temporal UI decodes history in the
 * operator's browser, so the UI's origin needs CORS, and nothing else of the API gets it.
 */
public final class CodecCors {

  /** The paths the codec's security chain covers. */
  public static final String PATHS = CodecController.PATH + "/**";

  private CodecCors() {}

  /**
   * The UI sends {@code Content-Type: application/json}, {@code X-Namespace} and, if told to,
   * {@code Authorization}; with "include cross-origin credentials" also cookies, which needs
   * {@code Access-Control-Allow-Credentials} and so exact origins, never {@code *}. Without
   * configured origins the source answers nothing: no CORS headers, browsers keep the codec to
   * its own origin.
   */
  public static CorsConfigurationSource source(CodecProperties properties) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    if (properties.corsOrigins().isEmpty()) {
      return source;
    }
    CorsConfiguration codec = new CorsConfiguration();
    codec.setAllowedOrigins(properties.corsOrigins());
    codec.setAllowedMethods(List.of("POST"));
    codec.setAllowedHeaders(List.of("Authorization", "Content-Type", "X-Namespace"));
    codec.setAllowCredentials(true);
    codec.setMaxAge(Duration.ofMinutes(30));
    source.registerCorsConfiguration(CodecController.PATH + "/decode", codec);
    source.registerCorsConfiguration(CodecController.PATH + "/encode", codec);
    return source;
  }
}
