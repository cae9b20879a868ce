package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.identity.Requires;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every mapped /v1 endpoint, in every spelling an attacker would try (a path parameter, percent-encoded
 * letters, slashes and dots, another case, a trailing or doubled slash, dot-segments, a backslash):
 * without credentials no spelling reaches a handler (seen by {@link HandlerProbe}, not guessed from
 * the status), an operator-only endpoint is not reached with a company key either, and no spelling
 * answers 5xx, with credentials or without. Requests go over a raw socket so no client normalises them.
 */
class PathVariantsTest extends BootedApp {

  Fixture tenant;

  @BeforeEach
  void company() {
    tenant = newFixture("paths-" + System.nanoTime());
  }

  @Test
  void givenEverySpellingOfEveryPath_whenSentWithoutCredentials_itShouldReachNoProtectedHandlerAndNeverAnswer5xx()
      throws IOException {
    String run = "anon-" + UUID.randomUUID() + ":";
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (Endpoints.Endpoint endpoint : endpoints().all()) {
      boolean open = endpoint.handler().hasMethodAnnotation(Requires.Public.class);
      for (String variant : variants(endpoint.path(this::value))) {
        int status = send(endpoint.method(), variant, null, run + endpoint);
        sent++;
        if (status >= 500) {
          failures.add(endpoint + " as " + variant + " answered " + status);
        }
        if (!open && status >= 200 && status < 400) {
          failures.add(endpoint + " as " + variant + " answered " + status + " without credentials");
        }
      }
    }
    List<HandlerProbe.Reached> reached = probe.reachedBy(run).stream()
        .filter(r -> !r.handler().contains("LoginController") && !r.handler().contains("HealthController")
            && !r.handler().contains("PasswordResetController#setPassword"))
        .toList();
    assertThat(sent).as("requests sent").isGreaterThan(1000);
    assertThat(reached).as("protected handlers reached without credentials").isEmpty();
    assertThat(failures).isEmpty();
  }

  @Test
  void givenEverySpellingOfAnOperatorOnlyPath_whenSentWithACompanyOwnerKey_itShouldNotReachTheHandler() throws IOException {
    String run = "owner-" + UUID.randomUUID() + ":";
    List<String> failures = new ArrayList<>();
    int operatorOnly = 0;
    for (Endpoints.Endpoint endpoint : endpoints().all()) {
      if (!endpoint.handler().hasMethodAnnotation(Requires.Operator.class)) {
        continue;
      }
      operatorOnly++;
      for (String variant : variants(endpoint.path(this::value))) {
        int status = send(endpoint.method(), variant, tenant.apiKey(), run + endpoint);
        if (status >= 500 || (status >= 200 && status < 400)) {
          failures.add(endpoint + " as " + variant + " answered " + status + " to a company key");
        }
      }
    }
    assertThat(operatorOnly).as("operator-only endpoints found").isPositive();
    assertThat(probe.reachedBy(run)).as("operator-only handlers reached with a company key").isEmpty();
    assertThat(failures).isEmpty();
  }

  @Test
  void givenEverySpellingOfEveryReadPath_whenSentWithCredentials_itShouldNeverAnswer5xx() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Endpoints.Endpoint endpoint : endpoints().gets()) {
      for (String variant : variants(endpoint.path(this::value))) {
        int status = send("GET", variant, tenant.apiKey(), "read:" + endpoint);
        if (status >= 500) {
          failures.add(endpoint + " as " + variant + " answered " + status);
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  private String value(String variable) {
    return IdProviders.BY_VARIABLE.get(variable).apply(tenant);
  }

  /** The path itself and the spellings that differ from it only in form. */
  static Set<String> variants(String path) {
    Set<String> out = new LinkedHashSet<>();
    out.add(path);
    String[] segments = path.substring(1).split("/");
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      out.add(replace(segments, i, segment + ";x=1"));
      out.add(replace(segments, i, segment + ";"));
      out.add(replace(segments, i, "%" + hex(segment.charAt(0)) + segment.substring(1)));
      out.add(replace(segments, i, encodeAll(segment)));
      out.add(replace(segments, i, segment.toUpperCase(Locale.ROOT)));
      out.add(replace(segments, i, "." + "/" + segment));
      out.add(replace(segments, i, "x/../" + segment));
      out.add(replace(segments, i, "%2e/" + segment));
      out.add(replace(segments, i, "x/%2e%2e/" + segment));
      out.add(replace(segments, i, "/" + segment));
      if (i > 0) {
        out.add(joinWith(segments, i, "%2F"));
        out.add(joinWith(segments, i, "%2f"));
        out.add(joinWith(segments, i, "\\"));
        out.add(joinWith(segments, i, "%5C"));
      }
    }
    out.add(path + "/");
    out.add(path + "/.");
    out.add(path + "%20");
    out.add(path + "%00");
    out.add(path.toUpperCase(Locale.ROOT));
    return out;
  }

  private static String replace(String[] segments, int index, String with) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      path.append('/').append(i == index ? with : segments[i]);
    }
    return path.toString();
  }

  /** The path with the separator before segment {@code index} spelt {@code separator}. */
  private static String joinWith(String[] segments, int index, String separator) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      path.append(i == index ? separator : "/").append(segments[i]);
    }
    return path.toString();
  }

  private static String encodeAll(String segment) {
    StringBuilder out = new StringBuilder();
    for (char c : segment.toCharArray()) {
      out.append('%').append(hex(c));
    }
    return out.toString();
  }

  private static String hex(char c) {
    return String.format("%02X", (int) c);
  }

  /** One HTTP/1.1 request as written, and its status code. */
  private int send(String method, String target, String token, String probe) throws IOException {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append(HandlerProbe.HEADER).append(": ").append(probe.replaceAll("[\\r\\n]", " ")).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Accept: application/json\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("Connection: close\r\n");
    if (token != null) {
      head.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return statusOf(socket.getInputStream());
    }
  }

  private static int statusOf(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      line.write(b);
    }
    String status = line.toString(StandardCharsets.ISO_8859_1);
    String[] parts = status.split(" ");
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: '" + status + "'");
    }
    in.transferTo(OutputStream.nullOutputStream());
    return Integer.parseInt(parts[1]);
  }
}
