package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser of the console over plain HTTP: its session cookie kept by hand (java's cookie store drops
 * Secure cookies over http), forms posted with the page's CSRF token, redirects not followed.
 */
final class ConsoleBrowser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  private final int port;
  String session;

  ConsoleBrowser(int port) {
    this.port = port;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return remember(CLIENT.send(request(path).header("Accept", "text/html").GET().build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
    return postRaw(path, form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
  }

  /** A form body as it is (for a field sent more than once, such as a multi-select). */
  HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
    return remember(CLIENT.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** The CSRF token of the page at {@code path}. */
  String csrf(String path) throws IOException, InterruptedException {
    HttpResponse<String> page = get(path);
    Matcher token = CSRF.matcher(page.body());
    assertThat(token.find()).as("a CSRF field on %s: %s", path, page.body()).isTrue();
    return token.group(1);
  }

  HttpResponse<String> signIn(String email, String password) throws IOException, InterruptedException {
    return post("/console/login", Map.of("_csrf", csrf("/console/login"), "email", email, "password", password));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (session != null) {
      builder.header("Cookie", "SATURN_CONSOLE=" + session);
    }
    return builder;
  }

  private HttpResponse<String> remember(HttpResponse<String> response) {
    response.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("SATURN_CONSOLE="))
        .forEach(c -> session = c.substring("SATURN_CONSOLE=".length(), c.indexOf(';')));
    return response;
  }
}
