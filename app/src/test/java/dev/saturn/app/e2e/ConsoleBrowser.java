package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser of the console over plain HTTP: its session cookie (kept by hand: java's cookie store
 * drops Secure cookies over http), the CSRF field of a page, sign-in through the form. Redirects are not
 * followed, so a test sees them.
 */
public final class ConsoleBrowser {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final int port;
  String session;

  public ConsoleBrowser(int port) {
    this.port = port;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return get(path, "text/html");
  }

  /** A GET asking for {@code accept}: {@code text/event-stream} reads a stream to its end. */
  public HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
    return remember(client.send(request(path).header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** A form post; a value that is a list sends the field once per element. */
  public HttpResponse<String> post(String path, Map<String, ?> form) throws IOException, InterruptedException {
    String body = form.entrySet().stream()
        .flatMap(e -> (e.getValue() instanceof List<?> values ? values : List.of(e.getValue())).stream()
            .map(v -> encode(e.getKey()) + "=" + encode(String.valueOf(v))))
        .collect(Collectors.joining("&"));
    return remember(client.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
  }

  /** The CSRF token of the page at {@code path}. */
  public String csrf(String path) throws IOException, InterruptedException {
    HttpResponse<String> page = get(path);
    Matcher token = CSRF.matcher(page.body());
    assertThat(token.find()).as("a CSRF field on %s: %s", path, page.body()).isTrue();
    return token.group(1);
  }

  public HttpResponse<String> signIn(String email, String password) throws IOException, InterruptedException {
    return post("/console/login", Map.of("_csrf", csrf("/console/login"), "email", email, "password", password));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
