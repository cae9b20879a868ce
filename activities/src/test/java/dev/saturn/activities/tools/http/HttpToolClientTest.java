package dev.saturn.activities.tools.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.tools.ToolServer;
import dev.saturn.common.outbound.SsrfGuard;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP against local servers; what must be refused is asserted by the target's request counter. */
class HttpToolClientTest {

  static final ObjectMapper JSON = new ObjectMapper();

  ToolServer target;

  @BeforeEach
  void start() {
    target = ToolServer.start();
  }

  @AfterEach
  void stop() {
    target.close();
  }

  static JsonNode args(String json) throws Exception {
    return JSON.readTree(json);
  }

  HttpToolClient client(String allowed) {
    return new HttpToolClient(new SsrfGuard(allowed), 3);
  }

  HttpToolClient.Response get(HttpToolClient client, String url) throws Exception {
    return client.call(new HttpToolClient.Call("GET", url, Map.of(), args("{}"), 2000, null, 1024));
  }

  @Test
  void givenDefaultGuard_whenToolTargetsLoopbackPrivateOrMetadata_itShouldRefuseWithoutConnecting() throws Exception {
    HttpToolClient client = client("");

    for (String url : new String[] {
        "http://127.0.0.1:" + target.port() + "/x",
        "http://localhost:" + target.port() + "/x", // a host name resolving to loopback
        "http://[::1]:" + target.port() + "/x",
        "http://10.0.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]:" + target.port() + "/x"}) {
      long started = System.nanoTime();
      HttpToolClient.Response response = get(client, url);
      assertThat(response.refused()).as(url).isTrue();
      assertThat(response.status()).as(url).isZero();
      // Refused before any connect: no connect timeout was waited for (10.0.0.1 would hang).
      assertThat((System.nanoTime() - started) / 1_000_000).as(url).isLessThan(1000);
    }
    assertThat(target.count()).isZero();
  }

  @Test
  void givenIpv6LoopbackServer_whenToolTargetsIt_itShouldRefuseWithoutConnecting() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    boolean ipv6 = NetworkInterface.getByInetAddress(v6) != null && v6 instanceof Inet6Address;
    org.junit.jupiter.api.Assumptions.assumeTrue(ipv6, "no IPv6 loopback on this machine");
    try (ToolServer onV6 = ToolServer.start(v6, 0)) {
      assertThat(get(client(""), "http://[::1]:" + onV6.port() + "/x").refused()).isTrue();
      assertThat(onV6.count()).isZero();
    }
  }

  @Test
  void givenAllowlistedRedirector_whenItRedirectsToLoopback_itShouldRefuseTheRedirect() throws Exception {
    try (ToolServer redirector = ToolServer.start()) {
      redirector.answering(r -> new ToolServer.Answer(302, null,
          Map.of("Location", "http://127.0.0.1:" + target.port() + "/secret")));
      HttpToolClient client = client("127.0.0.1:" + redirector.port());

      HttpToolClient.Response response = get(client, "http://127.0.0.1:" + redirector.port() + "/go");

      assertThat(response.refused()).isTrue();
      assertThat(redirector.count()).isEqualTo(1);
      assertThat(target.count()).isZero();
    }
  }

  @Test
  void givenDnsThatChangesItsAnswer_whenCalled_itShouldResolveOnceAndConnectToTheCheckedAddress() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    // First answer public (TEST-NET-1, unroutable here), every later one loopback: a rebinding attack.
    SsrfGuard guard = new SsrfGuard("", host -> new InetAddress[] {
        lookups.incrementAndGet() == 1 ? InetAddress.getByName("192.0.2.1") : InetAddress.getByName("127.0.0.1")});
    HttpToolClient client = new HttpToolClient(guard, 3);

    HttpToolClient.Response response = client.call(new HttpToolClient.Call(
        "GET", "http://rebind.test:" + target.port() + "/x", Map.of(), args("{}"), 500, null, 1024));

    assertThat(response.ok()).isFalse();
    assertThat(lookups.get()).isEqualTo(1);
    assertThat(target.count()).isZero();
  }

  @Test
  void givenAllowlistedTool_whenCalled_itShouldEncodeArgumentsSendHeadersAndReturnTheBody() throws Exception {
    target.answering(r -> ToolServer.Answer.json("{\"temp\":21}"));
    HttpToolClient client = client("127.0.0.1:" + target.port());

    HttpToolClient.Response response = client.call(new HttpToolClient.Call(
        "POST", "http://127.0.0.1:" + target.port() + "/cities/{city}/weather?unit={unit}",
        Map.of("X-Api-Key", "k-123"), args("{\"city\":\"New York\",\"unit\":\"c&x=1/../..\",\"days\":3}"), 2000,
        "saturn-abc", 1024));

    assertThat(response.ok()).isTrue();
    assertThat(response.body()).isEqualTo("{\"temp\":21}");
    ToolServer.Received received = target.received().get(0);
    assertThat(received.uri()).isEqualTo("/cities/New%20York/weather?unit=c%26x%3D1%2F..%2F..");
    assertThat(received.body()).isEqualTo("{\"days\":3}");
    assertThat(received.header("X-Api-Key")).isEqualTo("k-123");
    assertThat(received.header("Idempotency-Key")).isEqualTo("saturn-abc");
  }

  @Test
  void givenPathValuesThatReadAsOtherPaths_whenCalled_itShouldRefuseThemAndNoRequestLeavesTheTemplatesPath()
      throws Exception {
    HttpToolClient client = client("127.0.0.1:" + target.port());
    String template = "http://127.0.0.1:" + target.port() + "/files/{name}/content?v={v}";
    // Each would reach another path of the host if sent: as a dot-segment, once a server or proxy
    // decodes %2F/%5C/%2E (once or twice), or once Tomcat drops a ";parameter".
    List<String> refused = List.of(
        "..", ".", "%2e%2e", "%2E%2e", ".%2e", "%252e%252e", "..;x", ".;",
        "a/../../admin", "../admin", "/", "..\\..", "a\\b", "%2F", "..%2F..", "%252F", "%5c", "%255C");
    for (String value : refused) {
      HttpToolClient.Response response = client.call(new HttpToolClient.Call(
          "GET", template, Map.of(), JSON.createObjectNode().put("name", value).put("v", "1"), 2000, null, 1024));
      assertThat(response.refused()).as(value).isTrue();
      assertThat(response.failure()).as(value).contains("could not be built from the arguments");
    }
    assertThat(target.count()).isZero();

    List<String> allowed = List.of("report.pdf", "a..b", "...", ".hidden", "..x", "x..", "%41", "100%", "a;b");
    for (String value : allowed) {
      HttpToolClient.Response response = client.call(new HttpToolClient.Call(
          "GET", template, Map.of(), JSON.createObjectNode().put("name", value).put("v", "../.."), 2000, null, 1024));
      assertThat(response.ok()).as(value).isTrue();
    }
    assertThat(target.received()).hasSize(allowed.size()).allSatisfy(received -> {
      URI uri = URI.create(received.uri());
      // As a server would read it: decoded and normalized, still exactly /files/<one segment>/content.
      assertThat(uri.normalize().getPath()).matches("/files/[^/\\\\]+/content");
      assertThat(uri.getRawPath().split("/")).noneMatch(segment -> segment.equals(".") || segment.equals(".."));
    });
  }

  @Test
  void givenAPlaceholderSharingItsSegment_whenTheValueCompletesADotSegment_itShouldRefuseIt() throws Exception {
    HttpToolClient client = client("127.0.0.1:" + target.port());
    String template = "http://127.0.0.1:" + target.port() + "/files/.{ext}";

    HttpToolClient.Response dotDot = client.call(new HttpToolClient.Call(
        "GET", template, Map.of(), args("{\"ext\":\".\"}"), 2000, null, 1024));
    HttpToolClient.Response extension = client.call(new HttpToolClient.Call(
        "GET", template, Map.of(), args("{\"ext\":\"txt\"}"), 2000, null, 1024));

    assertThat(dotDot.refused()).isTrue();
    assertThat(dotDot.failure()).contains("'.' or '..'");
    assertThat(extension.ok()).isTrue();
    assertThat(target.received()).extracting(ToolServer.Received::uri).containsExactly("/files/.txt");
  }

  @Test
  void givenToolAnswersErrorTooLargeOrTooSlowly_whenCalled_itShouldFailTheCall() throws Exception {
    HttpToolClient client = client("127.0.0.1:" + target.port());
    String url = "http://127.0.0.1:" + target.port() + "/x";

    target.answering(r -> new ToolServer.Answer(503, "{\"error\":\"busy\"}", Map.of()));
    HttpToolClient.Response error = get(client, url);
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.ok()).isFalse();
    assertThat(error.transientFailure()).isTrue();

    target.answering(r -> ToolServer.Answer.json("x".repeat(5000)));
    assertThat(get(client, url).failure()).contains("larger than 1024 bytes");

    target.answering(r -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return ToolServer.Answer.json("{}");
    });
    HttpToolClient.Response slow = client.call(new HttpToolClient.Call("GET", url, Map.of(), args("{}"), 300, null, 1024));
    assertThat(slow.failure()).contains("no answer within 300 ms");
  }
}
