package dev.saturn.db.kb;

import static dev.saturn.db.jooq.Tables.TURN_PASSAGES;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** What retrieval found for each chat turn, read by the LLM call and by the answer's citations. */
@Repository
public class TurnPassageRepository {

  private final DSLContext db;
  private final Clock clock;

  public TurnPassageRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Replaces the turn's passages, so a retried retrieval leaves exactly its own result. */
  @Transactional
  public void replace(CompanyId company, String turnId, List<TurnPassage> passages) {
    db.deleteFrom(TURN_PASSAGES)
        .where(TURN_PASSAGES.COMPANY_ID.eq(company.value()).and(TURN_PASSAGES.TURN_ID.eq(turnId)))
        .execute();
    for (TurnPassage p : passages) {
      db.insertInto(TURN_PASSAGES)
          .set(TURN_PASSAGES.TURN_ID, turnId)
          .set(TURN_PASSAGES.RANK_NO, p.rank())
          .set(TURN_PASSAGES.COMPANY_ID, company.value())
          .set(TURN_PASSAGES.DOCUMENT_ID, p.documentId())
          .set(TURN_PASSAGES.DOCUMENT_VERSION, p.documentVersion())
          .set(TURN_PASSAGES.CHUNK_INDEX, p.chunkIndex())
          .set(TURN_PASSAGES.TITLE, p.title().length() > 500 ? p.title().substring(0, 500) : p.title())
          .set(TURN_PASSAGES.SCORE, p.score())
          .set(TURN_PASSAGES.CONTENT, p.content())
          .set(TURN_PASSAGES.CREATED_AT, Times.toDb(clock.instant()))
          .execute();
    }
  }

  public List<TurnPassage> list(CompanyId company, String turnId) {
    return db.selectFrom(TURN_PASSAGES)
        .where(TURN_PASSAGES.COMPANY_ID.eq(company.value()).and(TURN_PASSAGES.TURN_ID.eq(turnId)))
        .orderBy(TURN_PASSAGES.RANK_NO)
        .fetch(TurnPassageRepository::passage);
  }

  /** The passage of a row that selected {@code TURN_PASSAGES}' columns (also in a join); null when the join found none. */
  public static TurnPassage passage(Record r) {
    if (r.get(TURN_PASSAGES.RANK_NO) == null) {
      return null;
    }
    return new TurnPassage(r.get(TURN_PASSAGES.RANK_NO), r.get(TURN_PASSAGES.DOCUMENT_ID),
        r.get(TURN_PASSAGES.DOCUMENT_VERSION), r.get(TURN_PASSAGES.CHUNK_INDEX), r.get(TURN_PASSAGES.TITLE),
        r.get(TURN_PASSAGES.SCORE), r.get(TURN_PASSAGES.CONTENT));
  }
}
