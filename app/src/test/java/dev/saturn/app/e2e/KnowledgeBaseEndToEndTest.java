package dev.saturn.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.activities.kb.testing.TestDocuments;
import dev.saturn.app.SaturnApplication;
import dev.saturn.app.e2e.TestApp.Tenant;
import dev.saturn.db.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The knowledge base over HTTP with the real defaults: MiniLM embeddings in process, the Lucene
 * index on disk, the offline provider. Documents are real PDF and DOCX files made by the test.
 */
@Import(GuardEverySql.class)
@SpringBootTest(classes = SaturnApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KnowledgeBaseEndToEndTest {

  static final String ADMIN = "kb-e2e-operator-token";
  static final int MAX_UPLOAD = 300_000;
  static final String PDF = "application/pdf";
  static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  static TestDatabase database;

  @LocalServerPort int port;

  @BeforeAll
  static void startDatabase() {
    database = TestDatabase.create();
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    TestApp.embeddedDefaults(registry, () -> database.jdbcUrl(), "kb-e2e-data", ADMIN);
    registry.add("saturn.kb.upload.max-bytes", () -> MAX_UPLOAD);
  }

  HttpJson http() {
    return new HttpJson("http://127.0.0.1:" + port);
  }

  static String filler(String topic, int sentences) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < sentences; i++) {
      text.append("This section of the ").append(topic).append(" covers routine matter number ").append(i)
          .append(", which every employee reads once a year. ");
    }
    return text.toString();
  }

  static byte[] handbookPdf() {
    return TestDocuments.pdf(List.of(
        filler("office handbook", 10),
        filler("travel policy", 10),
        "Parking. The staff parking garage is on Quillfeather Lane. The secret door code for the garage is 7319. "
            + filler("parking rules", 4),
        filler("security guide", 10)));
  }

  static byte[] warrantyDocx() {
    return TestDocuments.docx(List.of(
        filler("warranty terms", 6),
        "Warranty. Every Zephyrine blender carries a warranty of exactly 41 months from the date of purchase.",
        filler("returns process", 6)));
  }

  JsonNode waitForStatus(Tenant tenant, String agentId, String documentId, String status) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    JsonNode last = null;
    while (Instant.now().isBefore(deadline)) {
      HttpJson.Response doc = http().get("/v1/agents/" + agentId + "/kb/documents/" + documentId, tenant.apiKey());
      last = doc.body();
      if (doc.status() == 200 && status.equals(doc.text("status"))) {
        return doc.body();
      }
      if (doc.status() == 200 && "failed".equals(doc.text("status")) && !status.equals("failed")) {
        throw new AssertionError("indexing failed: " + doc.body());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("document never became " + status + ": " + last);
  }

  HttpJson.Response upload(Tenant tenant, String agentId, String fileName, String type, byte[] bytes) {
    return http().upload("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey(), fileName, type, bytes, Map.of(), Map.of());
  }

  @Test
  void givenAPdfAndADocx_whenIndexedAndAsked_itShouldAnswerFromThemWithCitations() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "kb-e2e-" + System.nanoTime());
    String agentId = TestApp.newAgent(http(), tenant, Map.of("kb", Map.of("top_k", 3)));

    HttpJson.Response pdf = upload(tenant, agentId, "handbook.pdf", PDF, handbookPdf());
    HttpJson.Response docx = upload(tenant, agentId, "warranty.docx", DOCX, warrantyDocx());
    assertThat(pdf.status()).as("upload pdf: %s", pdf.body()).isEqualTo(202);
    assertThat(docx.status()).as("upload docx: %s", docx.body()).isEqualTo(202);
    assertThat(pdf.header("Location")).endsWith("/kb/documents/" + pdf.text("id"));
    assertThat(pdf.body().path("version").asInt()).isEqualTo(1);

    JsonNode readyPdf = waitForStatus(tenant, agentId, pdf.text("id"), "ready");
    JsonNode readyDocx = waitForStatus(tenant, agentId, docx.text("id"), "ready");
    assertThat(readyPdf.path("progress").path("chunks_total").asInt()).isGreaterThan(1);
    assertThat(readyPdf.path("progress").path("chunks_done").asInt())
        .isEqualTo(readyPdf.path("progress").path("chunks_total").asInt());
    assertThat(readyPdf.path("ready_version").asInt()).isEqualTo(1);
    assertThat(readyPdf.path("embedding_model").asText()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(readyDocx.path("title").asText()).isEqualTo("warranty.docx");

    HttpJson.Response list = http().get("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey());
    assertThat(list.body().path("items")).hasSize(2);

    HttpJson.Response answer = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        Map.of("message", "What is the door code of the parking garage on Quillfeather Lane?"));
    assertThat(answer.status()).as("chat: %s", answer.body()).isEqualTo(200);
    JsonNode message = answer.body().path("message");
    assertThat(message.path("content").asText()).contains("7319");
    JsonNode citations = message.path("citations");
    assertThat(citations).isNotEmpty();
    JsonNode answerCitation = null;
    for (JsonNode citation : citations) {
      if (citation.path("snippet").asText().contains("7319")) {
        answerCitation = citation;
      }
    }
    assertThat(answerCitation).as("a citation of the passage with the code: %s", citations).isNotNull();
    assertThat(answerCitation.path("document_id").asText()).isEqualTo(pdf.text("id"));
    assertThat(answerCitation.path("title").asText()).isEqualTo("handbook.pdf");
    assertThat(answerCitation.path("score").asDouble()).isPositive();
    assertThat(answerCitation.path("chunk_index").isInt()).isTrue();

    HttpJson.Response warranty = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        Map.of("message", "How many months of warranty does the Zephyrine blender have?"));
    assertThat(warranty.body().path("message").path("content").asText()).contains("41 months");
    assertThat(warranty.body().path("message").path("citations").findValuesAsText("document_id"))
        .contains(docx.text("id"));

    // The stored message carries the same citations.
    HttpJson.Response stored = http().get("/v1/sessions/" + answer.text("session_id") + "/messages", tenant.apiKey());
    List<JsonNode> assistant = new ArrayList<>();
    stored.body().path("items").forEach(m -> {
      if (m.path("role").asText().equals("assistant")) {
        assistant.add(m);
      }
    });
    assertThat(assistant).singleElement().satisfies(m -> assertThat(m.path("citations")).isEqualTo(citations));

    // Another company asking the same question of its own agent sees none of it.
    Tenant other = TestApp.newCompany(http(), ADMIN, "kb-e2e-other-" + System.nanoTime());
    String otherAgent = TestApp.newAgent(http(), other, Map.of());
    HttpJson.Response otherDoc = upload(other, otherAgent, "note.txt", "text/plain",
        "The cafeteria opens at nine.".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    waitForStatus(other, otherAgent, otherDoc.text("id"), "ready");
    HttpJson.Response otherAnswer = http().post("/v1/agents/" + otherAgent + "/chat", other.apiKey(),
        Map.of("message", "What is the door code of the parking garage on Quillfeather Lane?"));
    assertThat(otherAnswer.body().toString()).doesNotContain("7319").doesNotContain(pdf.text("id"));
  }

  @Test
  void givenAReadyDocument_whenReindexedAndDeleted_itShouldKeepAnsweringDuringTheReindexAndForgetItAfterTheDelete()
      throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "kb-e2e-life-" + System.nanoTime());
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    String id = upload(tenant, agentId, "warranty.docx", DOCX, warrantyDocx()).text("id");
    waitForStatus(tenant, agentId, id, "ready");

    HttpJson.Response reindex = http().post("/v1/agents/" + agentId + "/kb/documents/" + id + "/reindex", tenant.apiKey(), null);
    assertThat(reindex.status()).as("reindex: %s", reindex.body()).isEqualTo(202);
    assertThat(reindex.body().path("version").asInt()).isEqualTo(2);
    assertThat(reindex.body().path("ready_version").asInt()).isEqualTo(1);
    HttpJson.Response during = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        Map.of("message", "How many months of warranty does the Zephyrine blender have?"));
    assertThat(during.status()).as("chat during the reindex: %s", during.body()).isEqualTo(200);
    assertThat(during.body().path("message").path("citations")).as("chat during the reindex: %s", during.body()).isNotEmpty();
    JsonNode v2 = waitForStatus(tenant, agentId, id, "ready");
    for (int i = 0; i < 50 && v2.path("ready_version").asInt() != 2; i++) {
      Thread.sleep(100);
      v2 = http().get("/v1/agents/" + agentId + "/kb/documents/" + id, tenant.apiKey()).body();
    }
    assertThat(v2.path("ready_version").asInt()).isEqualTo(2);

    HttpJson.Response all = http().post("/v1/agents/" + agentId + "/kb/reindex", tenant.apiKey(), null);
    assertThat(all.status()).isEqualTo(202);
    assertThat(all.body().path("items").get(0).path("version").asInt()).isEqualTo(3);
    waitForStatus(tenant, agentId, id, "ready");

    HttpJson.Response deleted = http().send("DELETE", "/v1/agents/" + agentId + "/kb/documents/" + id, tenant.apiKey(), null, Map.of());
    assertThat(deleted.status()).isEqualTo(202);
    Instant deadline = Instant.now().plusSeconds(60);
    while (http().get("/v1/agents/" + agentId + "/kb/documents/" + id, tenant.apiKey()).status() != 404) {
      assertThat(Instant.now()).isBefore(deadline);
      Thread.sleep(200);
    }
    HttpJson.Response after = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(),
        Map.of("message", "How many months of warranty does the Zephyrine blender have?"));
    assertThat(after.status()).isEqualTo(200);
    assertThat(after.body().path("message").path("citations").isMissingNode()
        || after.body().path("message").path("citations").isEmpty()).isTrue();
  }

  @Test
  void givenBadUploads_whenSent_itShouldAnswer413And415And400AsProblems() {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "kb-e2e-bad-" + System.nanoTime());
    String agentId = TestApp.newAgent(http(), tenant, Map.of());

    HttpJson.Response tooLarge = upload(tenant, agentId, "big.txt", "text/plain", new byte[MAX_UPLOAD + 1]);
    HttpJson.Response image = upload(tenant, agentId, "photo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    HttpJson.Response fakePdf = upload(tenant, agentId, "fake.pdf", PDF, "not a pdf".getBytes());
    HttpJson.Response noFile = http().post("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey(), "{}");

    assertThat(tooLarge.status()).as("%s", tooLarge.body()).isEqualTo(413);
    assertThat(tooLarge.text("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(tooLarge.header("Content-Type")).startsWith("application/problem+json");
    assertThat(image.status()).isEqualTo(415);
    assertThat(image.text("code")).isEqualTo("KB_UNSUPPORTED_TYPE");
    assertThat(fakePdf.text("code")).isEqualTo("KB_UNSUPPORTED_TYPE");
    assertThat(noFile.status()).isEqualTo(400);
    assertThat(noFile.text("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(http().get("/v1/agents/" + agentId + "/kb/documents", tenant.apiKey()).body().path("items")).isEmpty();
  }

  @Test
  void givenAPdfWithoutText_whenIndexed_itShouldEndFailedWithTheReason() throws Exception {
    Tenant tenant = TestApp.newCompany(http(), ADMIN, "kb-e2e-fail-" + System.nanoTime());
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    String id = upload(tenant, agentId, "blank.pdf", PDF, TestDocuments.pdf(List.of(""))).text("id");

    JsonNode failed = waitForStatus(tenant, agentId, id, "failed");

    assertThat(failed.path("error").path("code").asText()).isEqualTo("KB_INDEXING_FAILED");
    assertThat(failed.path("error").path("message").asText()).contains("no text");
  }
}
