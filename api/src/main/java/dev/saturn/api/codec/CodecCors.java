package dev.saturn.api.codec;

import dev.saturn.api.web.ProblemWriter;
import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * Who may call the codec endpoint from a browser: the Temporal UI decodes history in the
 * operator's browser, so the UI's origin needs CORS, and nothing else of the API gets it.
 */
public final class CodecCors {

  /** The paths the codec's security chain covers. */
  public static final String PATHS = CodecController.PATH + "/**";

  private CodecCors() {}

  /**
   * Spring's CORS filter over {@link #source}, except that a refused request (a preflight or call
   * from an origin that is not configured) gets the API's problem body ({@code 403 AUTH_FORBIDDEN})
   * instead of Spring's plain-text "Invalid CORS request".
   */
  public static CorsFilter filter(CodecProperties properties, ProblemWriter problems) {
    CorsFilter filter = new CorsFilter(source(properties));
    filter.setCorsProcessor(new ProblemCorsProcessor(problems));
    return filter;
  }

  private static final class ProblemCorsProcessor extends DefaultCorsProcessor {

    private final ProblemWriter problems;

    ProblemCorsProcessor(ProblemWriter problems) {
      this.problems = problems;
    }

    @Override
    public boolean processRequest(CorsConfiguration config, HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      boolean allowed = super.processRequest(config, request, response);
      if (!allowed) {
        problems.write(request, response, ErrorCode.AUTH_FORBIDDEN,
            "Origin " + request.getHeader("Origin") + " may not call the codec endpoint (saturn.temporal.codec.cors-origins)");
      }
      return allowed;
    }

    /** Only the status: the body is the problem {@link #processRequest} writes. */
    @Override
    protected void rejectRequest(ServerHttpResponse response) {
      response.setStatusCode(HttpStatus.FORBIDDEN);
    }
  }

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
