package dev.saturn.activities.kb;

import dev.saturn.activities.kb.embedding.Embedder;
import dev.saturn.activities.kb.vector.KbScope;
import dev.saturn.activities.kb.vector.VectorHit;
import dev.saturn.activities.kb.vector.VectorQuery;
import dev.saturn.activities.kb.vector.VectorStore;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.kb.KbDocumentRepository;
import dev.saturn.db.kb.ReadyDocument;
import dev.saturn.db.kb.TurnPassage;
import dev.saturn.db.kb.TurnPassageRepository;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.kb.KbCitation;
import dev.saturn.workflows.kb.KbRetrieval;
import dev.saturn.workflows.kb.KbRetrievalActivities;
import dev.saturn.workflows.kb.KbRetrieveInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrieval for a chat turn. Hits are kept only for documents that are ready (or still serve a
 * ready version during a reindex) and only at the version they serve, so during a switch a search
 * never returns both versions, nor nothing. The passages are stored against the turn (replacing a
 * previous attempt's), the citations returned to the workflow.
 */
public class KbRetrievalActivitiesImpl implements KbRetrievalActivities {

  private static final Logger log = LoggerFactory.getLogger(KbRetrievalActivitiesImpl.class);
  static final int SNIPPET_CHARS = 300;
  /** Extra hits fetched so that filtering out stale versions still leaves top-k. */
  private static final int OVERFETCH = 3;
  private static final int SWITCH_RETRIES = 3;

  private final MessageRepository messages;
  private final KbDocumentRepository documents;
  private final TurnPassageRepository passages;
  private final UsageEventRepository usage;
  private final KbSettingsResolver settings;
  private final Embedder embedder;
  private final VectorStore vectors;
  private final Clock clock;
  private final Timer searches;

  public KbRetrievalActivitiesImpl(
      MessageRepository messages,
      KbDocumentRepository documents,
      TurnPassageRepository passages,
      UsageEventRepository usage,
      KbSettingsResolver settings,
      Embedder embedder,
      VectorStore vectors,
      Clock clock,
      MeterRegistry meters) {
    this.messages = messages;
    this.documents = documents;
    this.passages = passages;
    this.usage = usage;
    this.settings = settings;
    this.embedder = embedder;
    this.vectors = vectors;
    this.clock = clock;
    this.searches = meters.timer("saturn.kb.retrieval", "store", vectors.kind());
  }

  @Override
  public KbRetrieval retrieve(KbRetrieveInput in) {
    CompanyId company = CompanyId.of(in.companyId());
    MessageRow question = messages.findByTurn(company, in.turnId(), "user")
        .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
            "user message of turn " + in.turnId() + " not found", ErrorCode.NOT_FOUND.name()));
    KbSettingsResolver.Effective kb = settings.of(company, in.agentId(), in.agentVersion());
    long started = System.nanoTime();
    float[] vector = embedder.embed(List.of(question.content())).get(0);
    VectorQuery query = new VectorQuery(vector, question.content(), kb.topK() * OVERFETCH, kb.hybrid(), kb.minScore());
    // Served versions read before and after the search: if they did not change for the documents
    // hit, the search ran while those versions were served, and a served version's vectors exist
    // from before its switch until after the next one, so the search saw them. If a switch
    // happened in between, search again (a switch takes one row update; three tries is plenty).
    List<VectorHit> hits;
    Map<String, ReadyDocument> ready;
    int attempt = 0;
    while (true) {
      Map<String, ReadyDocument> before = documents.ready(company, in.agentId());
      hits = vectors.search(KbScope.of(in.companyId(), in.agentId()), query);
      Set<String> ids = hits.stream().map(VectorHit::documentId).collect(Collectors.toSet());
      Map<String, ReadyDocument> after = documents.ready(company, in.agentId(), ids);
      ready = after;
      boolean stable = ids.stream().allMatch(id -> java.util.Objects.equals(
          before.get(id) == null ? null : before.get(id).readyVersion(),
          after.get(id) == null ? null : after.get(id).readyVersion()));
      if (stable || ++attempt == SWITCH_RETRIES) {
        break;
      }
      log.debug("kb retrieval raced a version switch; searching again");
    }
    List<TurnPassage> kept = new ArrayList<>();
    for (VectorHit hit : hits) {
      ReadyDocument document = ready.get(hit.documentId());
      if (document == null || document.readyVersion() != hit.version()) {
        continue;
      }
      kept.add(new TurnPassage(kept.size(), hit.documentId(), hit.version(), hit.chunkIndex(), document.title(),
          hit.score(), hit.text()));
      if (kept.size() == kb.topK()) {
        break;
      }
    }
    searches.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    passages.replace(company, in.turnId(), kept);
    usage.recordOnce(company, new UsageEvent(
        Ids.newId(), company.value(), in.agentId(), question.sessionId(), in.turnId(), "embedding",
        embedder.provider(), embedder.space().model(), embedder.countTokens(question.content()), 0, 1,
        !embedder.exactTokenCounts(), "turn:" + in.turnId() + ":kb-query", clock.instant()));
    log.info("kb retrieval: hits={} kept={} top_k={} hybrid={} min_score={}",
        hits.size(), kept.size(), kb.topK(), kb.hybrid(), kb.minScore());
    return new KbRetrieval(kept.stream().map(p -> citation(p, question.content())).toList());
  }

  /** A citation whose snippet starts at the passage's sentence sharing the most words with the question. */
  public static KbCitation citation(TurnPassage p, String question) {
    return new KbCitation(p.documentId(), p.title(), p.chunkIndex(), p.score(), Snippets.of(p.content(), question, SNIPPET_CHARS));
  }
}
