package dev.saturn.app.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.runtime.LocalPorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Indexing survives a killed worker on a real Temporal server: the worker process is killed with
 * SIGKILL mid-document, a new worker process takes over, and the document ends ready with every
 * batch's usage recorded once; the new worker runs only batches the old one had not finished
 * (at most the two in flight are in both workers' logs).
 */
class KbWorkerCrashDurabilityIT {

  static final String ADMIN = "kb-durability-operator-token";
  static final Path WORK = Path.of("target", "kb-durability-it").toAbsolutePath();
  /** Chunks per batch activity, set here so the ~350-chunk document spans many batches. */
  static final int BATCH = 32;
  static final Pattern BATCH_LINE = Pattern.compile("kb batch embedded: document=(\\S+) version=1 batch=(\\d+)");
  /** prepare's line: the batch size it chose (at most BATCH, spread evenly over the batches). */
  static final Pattern PREPARED_LINE = Pattern.compile("kb document prepared: document=(\\S+) version=1 chunks=\\d+ batches_of=(\\d+)");

  DurabilityInfra infra;
  SaturnProcess api;
  SaturnProcess worker;

  @BeforeEach
  void startInfrastructure() throws Exception {
    infra = DurabilityInfra.start(WORK);
  }

  @AfterEach
  void stopEverything() throws Exception {
    DurabilityInfra.closeAll(worker, api, infra);
  }

  Map<String, String> env(String roles) {
    // Both worker processes share one data dir, hence one Lucene index (the first one is dead).
    Map<String, String> env = infra.env(
        roles, ADMIN, WORK.resolve("data-" + roles.replace(',', '-') + "-" + infra.database.hashCode()), "20s");
    env.put("SATURN_KB_CHUNKING_BATCHSIZE", Integer.toString(BATCH));
    return env;
  }

  static String document() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 700; i++) {
      text.append("Paragraph ").append(i).append(" of the operations manual describes procedure ").append(i)
          .append(" for the night shift in some detail.\n\n");
    }
    text.append("The emergency generator password is marmalade-42.\n");
    return text.toString();
  }

  @Test
  void givenIndexingInFlight_whenWorkerIsKilled9AndReplaced_itShouldResumeAndFinishEveryBatchOnce() throws Exception {
    api = infra.saturn("kb-api", LocalPorts.pickFree(), env("api"));
    worker = infra.saturn("kb-worker-1", LocalPorts.pickFree(), env("worker"));
    api.awaitReady(SaturnProcess.STARTUP);
    worker.awaitReady(SaturnProcess.STARTUP);
    HttpJson http = new HttpJson(api.baseUrl());

    HttpJson.Response company = http.post("/v1/companies", ADMIN, Map.of("name", "kb-durable", "owner", Map.of("email", "o@kb-durable.test")));
    String companyId = company.body().path("company").path("id").asText();
    String key = company.text("api_key");
    String agentId = http.post("/v1/agents", key, Map.of("name", "a", "config", Map.of("kb", Map.of("chunk_tokens", 48, "chunk_overlap", 0))))
        .text("id");
    HttpJson.Response uploaded = http.upload("/v1/agents/" + agentId + "/kb/documents", key, "manual.txt", "text/plain",
        document().getBytes(StandardCharsets.UTF_8), Map.of(), Map.of());
    assertThat(uploaded.status()).as("upload: %s", uploaded.body()).isEqualTo(202);
    String documentId = uploaded.text("id");
    String path = "/v1/agents/" + agentId + "/kb/documents/" + documentId;

    // Kill the worker once a few batches are done and more remain.
    Instant deadline = Instant.now().plusSeconds(180);
    JsonNode doc = http.get(path, key).body();
    while (doc.path("progress").path("chunks_done").asInt() < 96) {
      assertThat(Instant.now()).as("progress before the kill: %s", doc).isBefore(deadline);
      Thread.sleep(100);
      doc = http.get(path, key).body();
    }
    int total = doc.path("progress").path("chunks_total").asInt();
    assertThat(total).as("chunks of the document").isGreaterThan(doc.path("progress").path("chunks_done").asInt() + 64);
    worker.kill9();
    Set<Integer> beforeKill = batches(worker.log(), documentId);
    int batchSize = preparedBatchSize(worker.log(), documentId);
    assertThat(batchSize).as("prepare's batch size").isBetween(1, BATCH);

    worker = infra.saturn("kb-worker-2", LocalPorts.pickFree(), env("worker"));
    worker.awaitReady(SaturnProcess.STARTUP);
    deadline = Instant.now().plusSeconds(300);
    while (!"ready".equals(doc.path("status").asText())) {
      assertThat(doc.path("status").asText()).isNotEqualTo("failed");
      assertThat(Instant.now()).as("ready after the crash: %s", doc).isBefore(deadline);
      Thread.sleep(250);
      doc = http.get(path, key).body();
    }

    int batches = (total + batchSize - 1) / batchSize;
    assertThat(doc.path("progress").path("chunks_done").asInt()).isEqualTo(total);
    Set<Integer> afterKill = batches(worker.log(), documentId);
    Set<Integer> both = new TreeSet<>(beforeKill);
    both.retainAll(afterKill);
    assertThat(both).as("batches run by both workers (only the two in flight may be)").hasSizeLessThanOrEqualTo(2);
    Set<Integer> all = new TreeSet<>(beforeKill);
    all.addAll(afterKill);
    assertThat(all).as("every batch ran").hasSize(batches);
    long usage = infra.count(
        "SELECT COUNT(*) FROM usage_events WHERE company_id = ? AND idempotency_key LIKE ?",
        companyId, "kb-index:" + documentId + ":1:batch:%");
    assertThat(usage).as("one usage event per batch").isEqualTo(batches);

    HttpJson.Response answer = http.post("/v1/agents/" + agentId + "/chat", key,
        Map.of("message", "What is the emergency generator password?"));
    assertThat(answer.status()).as("chat: %s", answer.body()).isEqualTo(200);
    assertThat(answer.body().path("message").path("content").asText()).contains("marmalade-42");
  }

  private static int preparedBatchSize(Path log, String documentId) throws Exception {
    Matcher m = PREPARED_LINE.matcher(Files.readString(log));
    while (m.find()) {
      if (m.group(1).equals(documentId)) {
        return Integer.parseInt(m.group(2));
      }
    }
    throw new AssertionError("no 'kb document prepared' line for " + documentId + " in " + log);
  }

  private static Set<Integer> batches(Path log, String documentId) throws Exception {
    Set<Integer> batches = new TreeSet<>();
    Matcher m = BATCH_LINE.matcher(Files.readString(log));
    while (m.find()) {
      if (m.group(1).equals(documentId)) {
        batches.add(Integer.parseInt(m.group(2)));
      }
    }
    return batches;
  }
}
