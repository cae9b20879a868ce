package dev.saturn.activities.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.activities.common.BlockedWork;
import dev.saturn.activities.common.HeartbeatingPool;
import dev.saturn.activities.kb.text.Chunker;
import dev.saturn.activities.kb.text.DocumentTexts;
import dev.saturn.activities.kb.text.KbParsingProperties;
import dev.saturn.activities.kb.vector.KbScope;
import dev.saturn.activities.kb.vector.LuceneVectorStore;
import dev.saturn.activities.kb.vector.VectorStore;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.kb.DatabaseBlobStore;
import dev.saturn.db.kb.KbChunkRepository;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.KbDocumentRow;
import dev.saturn.db.kb.KbDocumentStatus;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.Repositories;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.workflows.kb.KbBatchInput;
import dev.saturn.workflows.kb.KbBatchResult;
import dev.saturn.workflows.kb.KbContentTypes;
import dev.saturn.workflows.kb.KbDocumentRef;
import dev.saturn.workflows.kb.KbIndexingActivities;
import dev.saturn.workflows.kb.KbPrepared;
import dev.saturn.workflows.kb.KbRetrieval;
import dev.saturn.workflows.kb.KbRetrievalActivities;
import dev.saturn.workflows.kb.KbRetrieveInput;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The indexing and retrieval activities against a real MariaDB and a Lucene index on disk. */
class KbActivitiesTest {

  static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(1))
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
      .build();

  static TestDatabase database;
  static DSLContext db;
  static Repositories repos;
  static KbDocumentRepository documents;
  static KbChunkRepository chunks;
  static TurnPassageRepository passages;
  static DatabaseBlobStore blobs;
  static Clock clock = Clock.systemUTC();

  WordHashEmbedder embedder;
  VectorStore vectors;
  RecordingStore store;

  /** The Lucene store, counting commits and uncommitted writes; it can fail the n-th write. */
  static final class RecordingStore extends LuceneVectorStore {
    final java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
    volatile int failWrite = -1;

    RecordingStore(Path root, dev.saturn.activities.kb.vector.EmbeddingSpace space) {
      super(root, space);
    }

    @Override
    public void upsertUncommitted(KbScope scope, List<dev.saturn.activities.kb.vector.VectorPoint> points) {
      if (writes.incrementAndGet() == failWrite) {
        throw new IllegalStateException("index disk full");
      }
      super.upsertUncommitted(scope, points);
    }

    @Override
    public void commit() {
      commits.incrementAndGet();
      super.commit();
    }
  }
  /** One parse at a time and no queue, so a test can fill it. */
  final HeartbeatingPool parsing = new HeartbeatingPool("kb-parse", 1, 0);
  TestActivityEnvironment env;
  KbIndexingActivities indexing;
  KbRetrievalActivities retrieval;
  CompanyId company;
  String agentId;

  @BeforeAll
  static void startDatabase() {
    database = TestDatabase.create();
    db = database.dsl();
    repos = Repositories.over(db, clock);
    documents = new KbDocumentRepository(db, clock);
    chunks = new KbChunkRepository(db);
    passages = new TurnPassageRepository(db, clock);
    blobs = new DatabaseBlobStore(db, clock);
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    company = Fixtures.company(db);
    agentId = Fixtures.agent(db, company, "{\"provider\": \"offline\", \"kb\": {\"chunk_tokens\": 40, \"chunk_overlap\": 5, \"top_k\": 2}}");
    embedder = new WordHashEmbedder();
    vectors = store = new RecordingStore(Files.createTempDirectory("kb-activities"), embedder.space());
    KbProperties properties = new KbProperties(null, null, null, null, new KbProperties.Chunking(200, 30, 4), null);
    KbSettingsResolver settings = new KbSettingsResolver(repos.agents(), properties);
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new KbIndexingActivitiesImpl(documents, chunks, blobs, repos.usage(), settings, embedder,
            new Chunker(new HuggingFaceTokenCountEstimator()), new DocumentTexts(KbParsingProperties.defaults()), parsing,
            vectors, database.transactions(), clock, 4, new SimpleMeterRegistry(), TestWebhookFacts.over(db, clock)),
        new KbRetrievalActivitiesImpl(new MessageRepository(db, clock), documents, passages, repos.usage(), settings,
            embedder, vectors, clock, new SimpleMeterRegistry()));
    indexing = env.newActivityStub(KbIndexingActivities.class, OPTIONS);
    retrieval = env.newActivityStub(KbRetrievalActivities.class, OPTIONS);
  }

  @AfterEach
  void tearDown() {
    env.close();
    vectors.close();
    parsing.close();
  }

  /** A text document of {@code paragraphs} paragraphs, each about one numbered topic. */
  String upload(String text, String contentType) {
    String id = Ids.newId();
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String ref = blobs.put(company, id, bytes);
    Instant now = clock.instant();
    documents.insert(company, new KbDocumentRow(id, company.value(), agentId, "handbook.txt", contentType,
        bytes.length, ref, KbDocumentStatus.UPLOADED, 1, null, null, 0, null, null, null, now, now, null));
    return id;
  }

  static String paragraphs(int n) {
    return IntStream.range(0, n)
        .mapToObj(i -> "Topic" + i + " explains how the topic" + i + " procedure works in detail for every team member.")
        .collect(Collectors.joining("\n\n"));
  }

  KbDocumentRef ref(String documentId, int version) {
    return new KbDocumentRef(company.value(), agentId, documentId, version);
  }

  @Test
  void givenAnUploadedText_whenPrepared_itShouldStoreTokenBoundedChunksOnceAndMarkIndexing() {
    String id = upload(paragraphs(12), KbContentTypes.TEXT);

    KbPrepared first = indexing.prepare(ref(id, 1));
    KbPrepared again = indexing.prepare(ref(id, 1));

    assertThat(first.current()).isTrue();
    assertThat(first.chunks()).isGreaterThan(3);
    assertThat(again).isEqualTo(first);
    assertThat(chunks.count(company, id, 1)).isEqualTo(first.chunks());
    assertThat(chunks.range(company, id, 1, 0, first.chunks()))
        .allSatisfy(c -> assertThat(new HuggingFaceTokenCountEstimator().estimateTokenCountInText(c.content())).isLessThanOrEqualTo(40));
    KbDocumentRow row = documents.find(company, id).orElseThrow();
    assertThat(row.status()).isEqualTo("indexing");
    assertThat(row.chunksTotal()).isEqualTo(first.chunks());
  }

  @Test
  void givenABatchRetriedAfterAHeartbeat_whenItRuns_itShouldEmbedOnlyTheChunksAfterTheHeartbeatAndRecordUsageOnce() {
    String id = upload(paragraphs(12), KbContentTypes.TEXT);
    KbPrepared prepared = indexing.prepare(ref(id, 1));
    assertThat(prepared.chunks()).isGreaterThanOrEqualTo(4);

    KbBatchResult whole = indexing.embedBatch(new KbBatchInput(ref(id, 1), 0, 0, 4));
    embedder.embedded.clear();
    env.setHeartbeatDetails(2);
    KbBatchResult resumed = indexing.embedBatch(new KbBatchInput(ref(id, 1), 0, 0, 4));

    assertThat(whole.resumedFrom()).isZero();
    assertThat(resumed.resumedFrom()).isEqualTo(2);
    assertThat(embedder.embedded).containsExactlyElementsOf(
        chunks.range(company, id, 1, 2, 4).stream().map(c -> c.content()).toList());
    assertThat(vectors.count(KbScope.of(company.value(), agentId))).isEqualTo(4);
    List<UsageEvent> usage = db.selectFrom(dev.saturn.db.jooq.Tables.USAGE_EVENTS)
        .where(dev.saturn.db.jooq.Tables.USAGE_EVENTS.COMPANY_ID.eq(company.value()))
        .fetch(r -> new UsageEvent(r.getId(), r.getCompanyId(), r.getAgentId(), null, null, r.getKind(),
            r.getProvider(), r.getModel(), r.getInputTokens(), r.getOutputTokens(), r.getQuantity(), false,
            r.getIdempotencyKey(), null));
    assertThat(usage).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo("embedding");
      assertThat(e.idempotencyKey()).isEqualTo("kb-index:" + id + ":1:batch:0");
      assertThat(e.inputTokens()).isEqualTo(whole.tokens()).isPositive();
      assertThat(e.quantity()).isEqualTo(4);
    });
    assertThat(documents.find(company, id).orElseThrow().chunksDone()).isEqualTo(4);
  }

  @Test
  void givenABatchOfSeveralGroups_whenEmbedded_itShouldCommitOnceAndKeepTheResumePointUntilThen() {
    String id = upload(paragraphs(100), KbContentTypes.TEXT);
    KbPrepared prepared = indexing.prepare(ref(id, 1));
    int to = Math.min(prepared.chunks(), 3 * KbIndexingActivitiesImpl.EMBED_GROUP - 1);
    assertThat(to).isGreaterThan(2 * KbIndexingActivitiesImpl.EMBED_GROUP);
    List<Integer> heartbeats = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    env.setActivityHeartbeatListener(Integer.class, heartbeats::add);

    indexing.embedBatch(new KbBatchInput(ref(id, 1), 0, 0, to));

    assertThat(store.writes.get()).isEqualTo(3);
    assertThat(store.commits.get()).isEqualTo(1);
    // Uncommitted chunks are never reported done: a retry would redo them, not skip them.
    assertThat(heartbeats).isNotEmpty().containsOnly(0);
    assertThat(vectors.count(KbScope.of(company.value(), agentId))).isEqualTo(to);
  }

  @Test
  void givenAnIndexWriteFailing_whenABatchIsEmbedded_itShouldFailWithoutCommittingOrRecordingUsage() {
    String id = upload(paragraphs(100), KbContentTypes.TEXT);
    KbPrepared prepared = indexing.prepare(ref(id, 1));
    int to = Math.min(prepared.chunks(), 3 * KbIndexingActivitiesImpl.EMBED_GROUP);
    assertThat(to).isGreaterThan(2 * KbIndexingActivitiesImpl.EMBED_GROUP);
    store.failWrite = 2;

    assertThatThrownBy(() -> indexing.embedBatch(new KbBatchInput(ref(id, 1), 0, 0, to)))
        .isInstanceOf(ActivityFailure.class)
        .hasStackTraceContaining("index disk full");

    assertThat(store.commits.get()).isZero();
    assertThat(db.fetchCount(dev.saturn.db.jooq.Tables.USAGE_EVENTS,
        dev.saturn.db.jooq.Tables.USAGE_EVENTS.COMPANY_ID.eq(company.value()))).isZero();
    assertThat(documents.find(company, id).orElseThrow().chunksDone()).isZero();
    // The retry does the whole batch.
    store.failWrite = -1;
    assertThat(indexing.embedBatch(new KbBatchInput(ref(id, 1), 0, 0, to)).resumedFrom()).isZero();
    assertThat(vectors.count(KbScope.of(company.value(), agentId))).isEqualTo(to);
  }

  @Test
  void givenADocumentWithNoText_whenPrepared_itShouldFailNonRetryablyWithTheReason() {
    String id = upload("   \n\n  ", KbContentTypes.TEXT);

    assertThatThrownBy(() -> indexing.prepare(ref(id, 1)))
        .isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("KB_INDEXING_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).contains("no text");
        });
  }

  @Test
  void givenTheParsingPoolIsFull_whenPrepared_itShouldFailRetryablyAndStoreNoChunks() {
    String id = upload(paragraphs(3), KbContentTypes.TEXT);
    try (BlockedWork busy = BlockedWork.occupy(parsing)) {
      assertThatThrownBy(() -> indexing.prepare(ref(id, 1)))
          .isInstanceOf(ActivityFailure.class)
          .cause().isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.getType()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(f.isNonRetryable()).isFalse();
          });
      assertThat(chunks.count(company, id, 1)).isZero();
    }
    // The retry, once a thread is free, does the work.
    assertThat(indexing.prepare(ref(id, 1)).chunks()).isPositive();
  }

  void indexFully(String id, int version) {
    KbPrepared prepared = indexing.prepare(ref(id, version));
    for (int b = 0; b < prepared.batches(); b++) {
      indexing.embedBatch(new KbBatchInput(ref(id, version), b, b * 4, Math.min(prepared.chunks(), b * 4 + 4)));
    }
    assertThat(indexing.activate(ref(id, version)).activated()).isTrue();
    indexing.deleteOlderVersions(ref(id, version));
  }

  String turnAsking(String question) {
    String sessionId = repos.sessions().create(company, agentId).id();
    String turnId = Ids.newId();
    repos.turns().insertRunning(company, turnId, sessionId, agentId, "chat-turn:" + turnId);
    repos.messages().insertOnce(company, sessionId, turnId, "user", question, null);
    return turnId;
  }

  @Test
  void givenAReadyDocument_whenATurnRetrieves_itShouldStoreTheBestPassagesAndCiteThem() {
    String id = upload(paragraphs(12), KbContentTypes.TEXT);
    indexFully(id, 1);
    String turnId = turnAsking("How does the topic7 procedure work?");

    KbRetrieval result = retrieval.retrieve(new KbRetrieveInput(company.value(), agentId, 1, turnId));

    assertThat(result.citations()).hasSize(2);
    assertThat(result.citations().get(0).documentId()).isEqualTo(id);
    assertThat(result.citations().get(0).snippet()).contains("topic7");
    assertThat(result.citations().get(0).title()).isEqualTo("handbook.txt");
    assertThat(passages.list(company, turnId)).extracting(p -> p.chunkIndex())
        .containsExactlyElementsOf(result.citations().stream().map(c -> c.chunkIndex()).toList());
  }

  @Test
  void givenAReindexInProgress_whenATurnRetrieves_itShouldCiteOnlyTheServedVersionThenTheNewOneAfterTheSwitch() {
    String id = upload(paragraphs(12), KbContentTypes.TEXT);
    indexFully(id, 1);
    assertThat(documents.newVersion(company, id)).contains(2);
    KbPrepared prepared = indexing.prepare(ref(id, 2));
    for (int b = 0; b < prepared.batches(); b++) {
      indexing.embedBatch(new KbBatchInput(ref(id, 2), b, b * 4, Math.min(prepared.chunks(), b * 4 + 4)));
    }

    String during = turnAsking("topic3 procedure");
    retrieval.retrieve(new KbRetrieveInput(company.value(), agentId, 1, during));
    assertThat(passages.list(company, during)).isNotEmpty().allSatisfy(p -> assertThat(p.documentVersion()).isEqualTo(1));

    indexing.activate(ref(id, 2));
    String between = turnAsking("topic3 procedure");
    retrieval.retrieve(new KbRetrieveInput(company.value(), agentId, 1, between));
    assertThat(passages.list(company, between)).isNotEmpty().allSatisfy(p -> assertThat(p.documentVersion()).isEqualTo(2));

    indexing.deleteOlderVersions(ref(id, 2));
    assertThat(vectors.count(KbScope.of(company.value(), agentId))).isEqualTo(prepared.chunks());
    assertThat(chunks.count(company, id, 1)).isZero();
  }

  @Test
  void givenASwitchBetweenTheSearchAndTheVersionCheck_whenATurnRetrieves_itShouldSearchAgainAndNotAnswerWithNothing() {
    String id = upload(paragraphs(6), KbContentTypes.TEXT);
    indexFully(id, 1);
    assertThat(documents.newVersion(company, id)).contains(2);
    KbPrepared prepared = indexing.prepare(ref(id, 2));
    // The first search sees only version 1; right after it, version 2 is written, switched to and
    // version 1 deleted - the narrowest race a turn can have with a reindex.
    java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();
    VectorStore racing = new dev.saturn.activities.kb.vector.VectorStore() {
      public String kind() { return vectors.kind(); }
      public dev.saturn.activities.kb.vector.EmbeddingSpace space() { return vectors.space(); }
      public void upsert(KbScope scope, List<dev.saturn.activities.kb.vector.VectorPoint> points) { vectors.upsert(scope, points); }
      public List<dev.saturn.activities.kb.vector.VectorHit> search(KbScope scope, dev.saturn.activities.kb.vector.VectorQuery query) {
        List<dev.saturn.activities.kb.vector.VectorHit> hits = vectors.search(scope, query);
        if (searches.incrementAndGet() == 1) {
          for (int b = 0; b < prepared.batches(); b++) {
            indexing.embedBatch(new KbBatchInput(ref(id, 2), b, b * 4, Math.min(prepared.chunks(), b * 4 + 4)));
          }
          indexing.activate(ref(id, 2));
          indexing.deleteOlderVersions(ref(id, 2));
        }
        return hits;
      }
      public void deleteVersion(KbScope scope, String documentId, int version) { vectors.deleteVersion(scope, documentId, version); }
      public void deleteVersionsBelow(KbScope scope, String documentId, int version) { vectors.deleteVersionsBelow(scope, documentId, version); }
      public void deleteDocument(KbScope scope, String documentId) { vectors.deleteDocument(scope, documentId); }
      public long count(KbScope scope) { return vectors.count(scope); }
      public void close() { }
    };
    KbProperties properties = new KbProperties(null, null, null, null, new KbProperties.Chunking(200, 30, 4), null);
    KbRetrievalActivitiesImpl direct = new KbRetrievalActivitiesImpl(new MessageRepository(db, clock), documents, passages,
        repos.usage(), new KbSettingsResolver(repos.agents(), properties), embedder, racing, clock, new SimpleMeterRegistry());
    TestActivityEnvironment raceEnv = TestActivityEnvironment.newInstance();
    raceEnv.registerActivitiesImplementations(direct);
    try {
      String turnId = turnAsking("topic3 procedure");
      KbRetrieval result = raceEnv.newActivityStub(KbRetrievalActivities.class, OPTIONS)
          .retrieve(new KbRetrieveInput(company.value(), agentId, 1, turnId));

      assertThat(searches.get()).isEqualTo(2);
      assertThat(result.citations()).isNotEmpty();
      assertThat(passages.list(company, turnId)).allSatisfy(p -> assertThat(p.documentVersion()).isEqualTo(2));
    } finally {
      raceEnv.close();
    }
  }

  @Test
  void givenADocumentBeingDeleted_whenATurnRetrieves_itShouldNotCiteIt() {
    String id = upload(paragraphs(6), KbContentTypes.TEXT);
    indexFully(id, 1);
    documents.markDeleting(company, id);

    String turnId = turnAsking("topic3 procedure");
    KbRetrieval result = retrieval.retrieve(new KbRetrieveInput(company.value(), agentId, 1, turnId));

    assertThat(result.citations()).isEmpty();
  }

  @Test
  void givenADocument_whenDeleted_itShouldRemoveVectorsChunksBytesAndRow() {
    String id = upload(paragraphs(6), KbContentTypes.TEXT);
    indexFully(id, 1);
    String blobRef = documents.find(company, id).orElseThrow().blobRef();

    indexing.deleteVectors(new dev.saturn.workflows.kb.KbDeleteInput(company.value(), agentId, id));
    indexing.deleteRecord(new dev.saturn.workflows.kb.KbDeleteInput(company.value(), agentId, id));
    indexing.deleteRecord(new dev.saturn.workflows.kb.KbDeleteInput(company.value(), agentId, id));

    assertThat(vectors.count(KbScope.of(company.value(), agentId))).isZero();
    assertThat(chunks.count(company, id, 1)).isZero();
    assertThat(documents.find(company, id)).isEmpty();
    assertThatThrownBy(() -> blobs.get(company, blobRef)).isInstanceOf(IllegalStateException.class);
  }
}
