package dev.saturn.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What MockMvc cannot show: errors the container produces or forwards to the error path, over a
 * real socket against embedded Tomcat.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ContainerErrorsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void givenMalformedUrl_whenTomcatRejectsIt_itShouldAnswerProblemJson() throws Exception {
    RawResponse response =
        raw("GET /things/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("content-type")).startsWith("application/problem+json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asString()).isEqualTo(ErrorCode.VALIDATION_FAILED.name());
    assertThat(body.get("request_id").asString()).isEqualTo(response.header("x-request-id"));
  }

  @Test
  void givenApiExceptionThrownByAFilter_whenItReachesTheContainer_itShouldKeepItsCodeAndId()
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/anything"))
                .header("X-Test-Forbid", "1")
                .header(RequestIds.HEADER, "client-42")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.headers().firstValue(RequestIds.HEADER)).hasValue("client-42");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asString()).isEqualTo(ErrorCode.AUTH_FORBIDDEN.name());
    assertThat(body.get("detail").asString()).isEqualTo("Key lacks scope agents:write");
    assertThat(body.get("request_id").asString()).isEqualTo("client-42");
    assertThat(body.get("instance").asString()).isEqualTo("/anything");
  }

  @Test
  void givenFilterCallingSendError_whenTheContainerForwards_itShouldAnswerProblemJson()
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/anything")).header("X-Test-Send-Error", "401").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asString()).isEqualTo(ErrorCode.AUTH_INVALID.name());
    assertThat(body.get("request_id").asString())
        .isEqualTo(response.headers().firstValue(RequestIds.HEADER).orElseThrow());
  }

  @Test
  void givenUnknownRoute_whenRequestedOverHttp_itShouldBeNotFoundProblem() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/no/such/route")).header("Accept", "text/html").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("NOT_FOUND");
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  /** java.net.http refuses to send a malformed URL, which is exactly what this must send. */
  private RawResponse raw(String request) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      return new RawResponse(head, dechunk(head, body));
    }
  }

  private static String dechunk(String head, String body) {
    if (!head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      return body;
    }
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = body.indexOf("\r\n", at);
      int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(body, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }

  record RawResponse(String head, String body) {
    int status() {
      return Integer.parseInt(head.split(" ", 3)[1]);
    }

    String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration({
    TomcatServletWebServerAutoConfiguration.class,
    DispatcherServletAutoConfiguration.class,
    WebMvcAutoConfiguration.class,
    ErrorMvcAutoConfiguration.class,
    HttpMessageConvertersAutoConfiguration.class,
    JacksonAutoConfiguration.class
  })
  @Import({
    ProblemAdvice.class,
    ProblemWriter.class,
    ErrorDialects.class,
    ProblemErrorController.class,
    RequestIdFilter.class,
    JsonConventions.class,
    TomcatProblemConfiguration.class,
    MisbehavingFilter.class
  })
  static class TestApp {}

  /** Fails the way filters do when they do not use ProblemWriter. */
  static class MisbehavingFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      if (request.getHeader("X-Test-Forbid") != null) {
        throw ApiException.forbidden("Key lacks scope agents:write");
      }
      String sendError = request.getHeader("X-Test-Send-Error");
      if (sendError != null) {
        response.sendError(Integer.parseInt(sendError));
        return;
      }
      chain.doFilter(request, response);
    }
  }
}
