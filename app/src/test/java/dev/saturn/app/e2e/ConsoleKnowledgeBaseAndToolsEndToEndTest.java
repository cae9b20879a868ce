package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.app.e2e.TestApp.Tenant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The console's Knowledge base and Tools pages over real HTTP: they act through the API's services
 * (the same validation, limits, SSRF guard and agent versions), under the API's role rules, and never
 * reach another company's documents or tools by id.
 */
class ConsoleKnowledgeBaseAndToolsEndToEndTest extends BootedSaturn {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** A signed-in browser: the session cookie kept by hand, CSRF read from the page. */
  private final class Session {
    String cookie;

    Session(String email) throws Exception {
      send(request("/console/login").GET());
      HttpResponse<String> in = form("/console/login", Map.of("email", email, "password", PASSWORD));
      assertThat(in.statusCode()).isEqualTo(302);
      assertThat(in.headers().firstValue("Location").orElseThrow()).endsWith("/console/agents");
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return send(request(path).header("Accept", "text/html").GET());
    }

    String csrf() throws IOException, InterruptedException {
      Matcher token = CSRF.matcher(get("/console/login").body());
      assertThat(token.find()).isTrue();
      return token.group(1);
    }

    HttpResponse<String> form(String path, Map<String, String> fields) throws IOException, InterruptedException {
      Map<String, String> all = new LinkedHashMap<>(fields);
      all.put("_csrf", csrf());
      String body = all.entrySet().stream()
          .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
      return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> upload(String agentId, String fileName, String contentType, byte[] bytes)
        throws IOException, InterruptedException {
      String boundary = "----console" + UUID.randomUUID();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      String token = csrf();
      Map<String, String> fields = Map.of("_csrf", token, "agentId", agentId, "idempotencyKey", UUID.randomUUID().toString());
      for (Map.Entry<String, String> field : fields.entrySet()) {
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
            + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
          + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      body.writeBytes(bytes);
      body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      return send(request("/console/knowledge-base").header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
      return cookie == null ? builder : builder.header("Cookie", "SATURN_CONSOLE=" + cookie);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      response.headers().allValues("Set-Cookie").stream()
          .filter(c -> c.startsWith("SATURN_CONSOLE="))
          .forEach(c -> cookie = c.substring("SATURN_CONSOLE=".length(), c.indexOf(';')));
      return response;
    }
  }

  private String agent(Tenant tenant, String name) {
    HttpJson.Response created = http().post("/v1/agents", tenant.apiKey(), Map.of("name", name, "config", Map.of("provider", "offline")));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    return created.text("id");
  }

  private JsonNode document(Tenant tenant, String agentId, String documentId) {
    return http().get("/v1/agents/" + agentId + "/kb/documents/" + documentId, tenant.apiKey()).body();
  }

  private JsonNode awaitStatus(Tenant tenant, String agentId, String documentId, String status) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonNode doc = document(tenant, agentId, documentId);
    while (!status.equals(doc.path("status").asText()) && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      doc = document(tenant, agentId, documentId);
    }
    assertThat(doc.path("status").asText()).as(doc.toString()).isEqualTo(status);
    return doc;
  }

  private static final byte[] NOTES = "# Refunds\n\nRefunds take five working days. Keep the receipt.\n"
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void givenADeveloper_whenUploadingReindexingAndDeletingThroughThePage_itShouldUseTheApisServiceAndShowProgress()
      throws Exception {
    Tenant tenant = newCompany("console-kb");
    newUser(tenant, "dev@console-kb.test", "developer");
    String agentId = agent(tenant, "KB agent");
    Session browser = new Session("dev@console-kb.test");

    HttpResponse<String> uploaded = browser.upload(agentId, "refunds.md", "text/markdown", NOTES);

    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(302);
    JsonNode listed = http().get("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey()).body().path("items");
    assertThat(listed).hasSize(1);
    String documentId = listed.get(0).path("id").asText();
    assertThat(uploaded.headers().firstValue("Location").orElseThrow()).endsWith("#document-" + documentId);
    JsonNode ready = awaitStatus(tenant, agentId, documentId, "ready");
    int chunks = ready.path("progress").path("chunks_total").asInt();
    assertThat(chunks).isPositive();
    String page = browser.get("/console/knowledge-base").body();
    assertThat(page).contains("id=\"document-" + documentId + "\"", "refunds.md", "KB agent", "Drop a file here");
    String row = browser.get("/console/knowledge-base/documents/" + documentId + "/row?poll=3").body();
    assertThat(row).contains(">ready<", chunks + " / " + chunks).doesNotContain("hx-trigger");

    HttpResponse<String> reindexed = browser.form("/console/knowledge-base/documents/" + documentId + "/reindex", Map.of());
    assertThat(reindexed.statusCode()).isEqualTo(302);
    assertThat(document(tenant, agentId, documentId).path("version").asInt()).isEqualTo(2);
    awaitStatus(tenant, agentId, documentId, "ready");

    assertThat(browser.get("/console/knowledge-base/documents/" + documentId + "/delete").body())
        .contains("Delete document", "refunds.md");
    HttpResponse<String> deleted = browser.form("/console/knowledge-base/documents/" + documentId + "/delete", Map.of());
    assertThat(deleted.statusCode()).isEqualTo(302);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (http().get("/v1/agents/" + agentId + "/kb/documents/" + documentId, tenant.apiKey()).status() != 404
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(http().get("/v1/agents/" + agentId + "/kb/documents/" + documentId, tenant.apiKey()).status()).isEqualTo(404);
    assertThat(browser.get("/console/knowledge-base/documents/" + documentId + "/row").body()).isBlank();
  }

  @Test
  void givenABadFile_whenUploading_itShouldSayWhyNextToTheUploadControlAndStoreNothing() throws Exception {
    Tenant tenant = newCompany("console-kb-bad");
    newUser(tenant, "dev@console-kb-bad.test", "developer");
    String agentId = agent(tenant, "Bad files");
    Session browser = new Session("dev@console-kb-bad.test");

    HttpResponse<String> binary = browser.upload(agentId, "tool.exe", "application/octet-stream", new byte[] {0x4d, 0x5a, 0, 1});
    HttpResponse<String> empty = browser.upload(agentId, "empty.txt", "text/plain", new byte[0]);
    HttpResponse<String> noAgent = browser.upload("", "notes.txt", "text/plain", NOTES);
    HttpResponse<String> tooLarge = browser.upload(agentId, "big.txt", "text/plain", new byte[20 * 1024 * 1024 + 1]);

    assertThat(binary.statusCode()).isEqualTo(200);
    assertThat(binary.body()).contains("id=\"kb-file-error\"", "Supported documents are .txt, .md, .html, .pdf and .docx")
        .contains("aria-invalid=\"true\"");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(empty.body()).contains("Choose a file to upload; it must not be empty.");
    assertThat(noAgent.statusCode()).isEqualTo(200);
    assertThat(noAgent.body()).contains("Choose the agent");
    // The page's script refuses such a file before sending it; sent anyway, the container stops reading it
    // at the limit and answers 413 as the API does (never a 500).
    assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("PAYLOAD_TOO_LARGE");
    assertThat(http().get("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey()).body().path("items")).isEmpty();
  }

  @Test
  void givenAViewerAndADeveloper_whenActingWithoutThePermission_itShouldBeRefusedAsByTheApi() throws Exception {
    Tenant tenant = newCompany("console-kb-roles");
    newUser(tenant, "viewer@console-kb-roles.test", "viewer");
    newUser(tenant, "dev@console-kb-roles.test", "developer");
    String agentId = agent(tenant, "Roles agent");
    String documentId = http().upload("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey(), "a.txt", "text/plain",
        NOTES, Map.of(), Map.of()).text("id");
    String toolId = http().post("/v1/tools", tenant.apiKey(), Map.of("name", "roles_tool", "description", "d",
        "method", "GET", "url", "https://tools.example.com/x")).text("id");
    Session viewer = new Session("viewer@console-kb-roles.test");

    String page = viewer.get("/console/knowledge-base").body();
    assertThat(page).contains("a.txt").doesNotContain(">Upload<", ">Delete<", ">Reindex<");
    assertThat(viewer.upload(agentId, "b.txt", "text/plain", NOTES).statusCode()).isEqualTo(403);
    assertThat(viewer.form("/console/knowledge-base/documents/" + documentId + "/delete", Map.of()).statusCode()).isEqualTo(403);
    assertThat(viewer.form("/console/knowledge-base/documents/" + documentId + "/reindex", Map.of()).statusCode()).isEqualTo(403);
    assertThat(viewer.form("/console/tools/" + toolId + "/attach", Map.of("agentId", agentId)).statusCode()).isEqualTo(403);
    assertThat(http().get("/v1/agents/" + agentId + "/kb/documents/" + documentId, tenant.apiKey()).body()
        .path("status").asText()).isNotEqualTo("deleting");

    Session developer = new Session("dev@console-kb-roles.test");
    String tools = developer.get("/console/tools").body();
    assertThat(tools).contains("roles_tool").doesNotContain("Register tool", "Register MCP server", "Test a call");
    assertThat(developer.form("/console/tools", Map.of("name", "dev_tool", "description", "d", "method", "GET",
        "url", "https://tools.example.com/y")).statusCode()).isEqualTo(403);
    assertThat(developer.get("/console/tools/" + toolId + "/test").statusCode()).isEqualTo(403);
    assertThat(http().get("/v1/tools", tenant.apiKey()).body().path("items")).hasSize(1);
  }

  @Test
  void givenAnotherCompanysDocumentAndTool_whenNamedById_itShouldNeitherShowNorChangeThem() throws Exception {
    Tenant a = newCompany("console-iso-a");
    Tenant b = newCompany("console-iso-b");
    newUser(b, "admin@console-iso-b.test", "admin");
    String agentA = agent(a, "A agent");
    String agentB = agent(b, "B agent");
    String documentId = http().upload("/v1/agents/" + agentA + "/kb/documents", a.apiKey(), "secret-plan.txt", "text/plain",
        NOTES, Map.of(), Map.of()).text("id");
    String toolId = http().post("/v1/tools", a.apiKey(), Map.of("name", "a_secret_tool", "description", "d",
        "method", "GET", "url", "https://tools.example.com/a")).text("id");
    Session intruder = new Session("admin@console-iso-b.test");

    assertThat(intruder.get("/console/knowledge-base").body()).doesNotContain("secret-plan.txt");
    assertThat(intruder.get("/console/tools").body()).doesNotContain("a_secret_tool");
    assertThat(intruder.get("/console/knowledge-base/documents/" + documentId + "/row").body()).isBlank();
    assertThat(intruder.get("/console/knowledge-base/documents/" + documentId + "/delete").statusCode()).isEqualTo(404);
    assertThat(intruder.form("/console/knowledge-base/documents/" + documentId + "/reindex", Map.of()).statusCode()).isEqualTo(404);
    assertThat(intruder.form("/console/knowledge-base/documents/" + documentId + "/delete", Map.of()).statusCode()).isEqualTo(404);
    assertThat(intruder.upload(agentA, "c.txt", "text/plain", NOTES).body()).contains("That agent does not exist.");
    assertThat(intruder.get("/console/tools/" + toolId + "/test").statusCode()).isEqualTo(404);
    assertThat(intruder.form("/console/tools/" + toolId + "/test", Map.of("arguments", "{}")).statusCode()).isEqualTo(404);
    assertThat(intruder.form("/console/tools/" + toolId + "/attach", Map.of("agentId", agentB)).statusCode()).isEqualTo(404);

    JsonNode doc = document(a, agentA, documentId);
    assertThat(doc.path("version").asInt()).isEqualTo(1);
    assertThat(doc.path("status").asText()).isNotEqualTo("deleting");
    assertThat(http().get("/v1/agents/" + agentB + "/kb/documents", b.apiKey()).body().path("items")).isEmpty();
    assertThat(http().get("/v1/agents/" + agentB + "/tools", b.apiKey()).body().path("items")).isEmpty();
  }

  @Test
  void givenAnAdmin_whenRegisteringTestingAndAttachingATool_itShouldValidateAsTheApiAndMakeAnAgentVersion()
      throws Exception {
    Tenant tenant = newCompany("console-tools");
    newUser(tenant, "admin@console-tools.test", "admin");
    String agentId = agent(tenant, "Tool user");
    Session browser = new Session("admin@console-tools.test");
    Map<String, String> form = new LinkedHashMap<>(Map.of("name", "lookup_order", "description", "Looks up an order",
        "method", "GET", "url", "https://orders.example.com/orders/{id}",
        "parameters", "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},\"required\":[\"id\"]}",
        "requiresApproval", "true"));

    HttpResponse<String> badJson = browser.form("/console/tools", with(form, "parameters", "{not json"));
    HttpResponse<String> badSchema = browser.form("/console/tools", with(form, "parameters", "{\"type\":\"string\"}"));
    HttpResponse<String> loopback = browser.form("/console/tools", with(form, "url", "http://127.0.0.1:8080/orders/{id}"));
    HttpResponse<String> noName = browser.form("/console/tools", with(form, "name", ""));
    HttpResponse<String> server = browser.form("/console/tools/mcp-servers", Map.of("name", "local", "url", "http://127.0.0.1:9/mcp"));
    assertThat(http().get("/v1/tools", tenant.apiKey()).body().path("items")).isEmpty();
    assertThat(List.of(badJson, badSchema, loopback, noName, server)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
    assertThat(badJson.body()).contains("id=\"tool-parameters-error\">is not valid JSON");
    assertThat(badSchema.body()).containsPattern("id=\"tool-parameters-error\">[^<]+</p>");
    assertThat(loopback.body()).containsPattern("id=\"tool-url-error\">[^<]*(refused|not allowed|loopback)[^<]*</p>");
    assertThat(noName.body()).containsPattern("id=\"tool-name-error\">[^<]+</p>");
    assertThat(server.body()).containsPattern("id=\"server-url-error\">[^<]*(refused|not allowed|loopback)[^<]*</p>");

    HttpResponse<String> registered = browser.form("/console/tools", form);
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(302);
    JsonNode tool = http().get("/v1/tools", tenant.apiKey()).body().path("items").get(0);
    assertThat(tool.path("name").asText()).isEqualTo("lookup_order");
    assertThat(tool.path("requires_approval").asBoolean()).isTrue();
    String toolId = tool.path("id").asText();
    assertThat(browser.get("/console/tools").body()).contains("id=\"tool-" + toolId + "\"", "Tool lookup_order registered.");

    HttpResponse<String> invalidArguments = browser.form("/console/tools/" + toolId + "/test", Map.of("arguments", "{\"id\": 5}"));
    assertThat(invalidArguments.body()).contains("class=\"test-status\">invalid<");
    HttpResponse<String> notJson = browser.form("/console/tools/" + toolId + "/test", Map.of("arguments", "[1"));
    assertThat(notJson.body()).contains("id=\"test-arguments-error\" role=\"alert\">is not valid JSON");
    HttpResponse<String> called = browser.form("/console/tools/" + toolId + "/test", Map.of("arguments", "{\"id\": \"A-1\"}"));
    assertThat(called.statusCode()).isEqualTo(200);
    assertThat(called.body()).containsPattern("class=\"test-status\">(failed|refused)<").contains("class=\"test-failure\"");
    assertThat(http().get("/v1/audit-logs?action=tool.test", tenant.apiKey()).body().path("items").size()).isGreaterThanOrEqualTo(2);

    HttpResponse<String> attached = browser.form("/console/tools/" + toolId + "/attach", Map.of("agentId", agentId));
    assertThat(attached.statusCode()).isEqualTo(302);
    JsonNode agent = http().get("/v1/agents/" + agentId, tenant.apiKey()).body();
    assertThat(agent.path("version").asInt()).as(agent.toString()).isEqualTo(2);
    assertThat(agent.path("config").path("tools").toString()).contains(toolId);
    assertThat(browser.get("/console/tools").body()).contains("attached to Tool user: now version 2.");
  }

  private static Map<String, String> with(Map<String, String> form, String field, String value) {
    Map<String, String> changed = new LinkedHashMap<>(form);
    changed.put(field, value);
    return changed;
  }
}
