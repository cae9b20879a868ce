package dev.saturn.db.kb;

import static dev.saturn.db.jooq.Tables.KB_DOCUMENTS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Cursors;
import dev.saturn.db.common.Page;
import dev.saturn.db.common.Times;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Repository;

/**
 * Knowledge-base documents of one company. Every state change names the version it is about, so a
 * late activity of a superseded version cannot move the current one.
 */
@Repository
public class KbDocumentRepository {

  private final DSLContext db;
  private final Clock clock;

  public KbDocumentRepository(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public void insert(CompanyId company, KbDocumentRow row) {
    if (!company.value().equals(row.companyId())) {
      throw new IllegalArgumentException("document belongs to another company");
    }
    db.insertInto(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.ID, row.id())
        .set(KB_DOCUMENTS.COMPANY_ID, company.value())
        .set(KB_DOCUMENTS.AGENT_ID, row.agentId())
        .set(KB_DOCUMENTS.TITLE, row.title())
        .set(KB_DOCUMENTS.CONTENT_TYPE, row.contentType())
        .set(KB_DOCUMENTS.SIZE_BYTES, row.sizeBytes())
        .set(KB_DOCUMENTS.BLOB_REF, row.blobRef())
        .set(KB_DOCUMENTS.STATUS, row.status())
        .set(KB_DOCUMENTS.VERSION, row.version())
        .set(KB_DOCUMENTS.CHUNKS_DONE, 0)
        .set(KB_DOCUMENTS.CREATED_AT, Times.toDb(row.createdAt()))
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(row.updatedAt()))
        .execute();
  }

  public Optional<KbDocumentRow> find(CompanyId company, String documentId) {
    return db.selectFrom(KB_DOCUMENTS)
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value()).and(KB_DOCUMENTS.ID.eq(documentId)))
        .fetchOptional()
        .map(KbDocumentRepository::toRow);
  }

  /** The document if it belongs to this agent of this company; any other id is simply missing. */
  public Optional<KbDocumentRow> find(CompanyId company, String agentId, String documentId) {
    return find(company, documentId).filter(d -> d.agentId().equals(agentId));
  }

  /** Oldest first; the cursor names the last document of the previous page by id. */
  public Page<KbDocumentRow> list(CompanyId company, String agentId, String cursor, int limit) {
    Condition where = KB_DOCUMENTS.COMPANY_ID.eq(company.value()).and(KB_DOCUMENTS.AGENT_ID.eq(agentId));
    if (cursor != null) {
      String afterId = Cursors.decode(cursor);
      LocalDateTime after = db.select(KB_DOCUMENTS.CREATED_AT)
          .from(KB_DOCUMENTS)
          .where(where.and(KB_DOCUMENTS.ID.eq(afterId)))
          .fetchOptional(KB_DOCUMENTS.CREATED_AT)
          .orElseThrow(Cursors.InvalidCursorException::new);
      where = where.and(DSL.row(KB_DOCUMENTS.CREATED_AT, KB_DOCUMENTS.ID).gt(after, afterId));
    }
    List<KbDocumentRow> rows = db.selectFrom(KB_DOCUMENTS)
        .where(where)
        .orderBy(KB_DOCUMENTS.CREATED_AT.asc(), KB_DOCUMENTS.ID.asc())
        .limit(limit + 1)
        .fetch(KbDocumentRepository::toRow);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    return new Page<>(rows.subList(0, limit), Cursors.encode(rows.get(limit - 1).id()));
  }

  public List<KbDocumentRow> listAll(CompanyId company, String agentId) {
    return db.selectFrom(KB_DOCUMENTS)
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value()).and(KB_DOCUMENTS.AGENT_ID.eq(agentId)))
        .orderBy(KB_DOCUMENTS.CREATED_AT.asc(), KB_DOCUMENTS.ID.asc())
        .fetch(KbDocumentRepository::toRow);
  }

  /** True when the agent has a document retrieval can use. */
  public boolean hasReady(CompanyId company, String agentId) {
    return db.select(hasReadyField(company, agentId)).fetchOne(0, Boolean.class);
  }

  /** {@link #hasReady} as a column of another read. */
  public static Field<Boolean> hasReadyField(CompanyId company, String agentId) {
    return DSL.field(DSL.exists(DSL.selectOne().from(KB_DOCUMENTS).where(KB_DOCUMENTS.COMPANY_ID.eq(company.value())
        .and(KB_DOCUMENTS.AGENT_ID.eq(agentId))
        .and(KB_DOCUMENTS.READY_VERSION.isNotNull())
        .and(KB_DOCUMENTS.STATUS.ne(DSL.inline(KbDocumentStatus.DELETING))))));
  }

  /** Of the given documents, those retrieval may cite, by id, with the version they serve. */
  public Map<String, ReadyDocument> ready(CompanyId company, String agentId, Collection<String> documentIds) {
    if (documentIds.isEmpty()) {
      return Map.of();
    }
    return db.select(KB_DOCUMENTS.ID, KB_DOCUMENTS.READY_VERSION, KB_DOCUMENTS.TITLE)
        .from(KB_DOCUMENTS)
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value())
            .and(KB_DOCUMENTS.AGENT_ID.eq(agentId))
            .and(KB_DOCUMENTS.ID.in(documentIds))
            .and(KB_DOCUMENTS.READY_VERSION.isNotNull())
            .and(KB_DOCUMENTS.STATUS.ne(KbDocumentStatus.DELETING)))
        .fetch(r -> new ReadyDocument(r.get(KB_DOCUMENTS.ID), r.get(KB_DOCUMENTS.READY_VERSION), r.get(KB_DOCUMENTS.TITLE)))
        .stream()
        .collect(Collectors.toMap(ReadyDocument::id, d -> d));
  }

  /** Every document of the agent retrieval may cite, by id. */
  public Map<String, ReadyDocument> ready(CompanyId company, String agentId) {
    return db.select(KB_DOCUMENTS.ID, KB_DOCUMENTS.READY_VERSION, KB_DOCUMENTS.TITLE)
        .from(KB_DOCUMENTS)
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value())
            .and(KB_DOCUMENTS.AGENT_ID.eq(agentId))
            .and(KB_DOCUMENTS.READY_VERSION.isNotNull())
            .and(KB_DOCUMENTS.STATUS.ne(KbDocumentStatus.DELETING)))
        .fetch(r -> new ReadyDocument(r.get(KB_DOCUMENTS.ID), r.get(KB_DOCUMENTS.READY_VERSION), r.get(KB_DOCUMENTS.TITLE)))
        .stream()
        .collect(Collectors.toMap(ReadyDocument::id, d -> d));
  }

  /** uploaded|indexing → indexing for this version; false when the version is no longer current. */
  public boolean startIndexing(CompanyId company, String documentId, int version, String embeddingModel) {
    return db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.STATUS, KbDocumentStatus.INDEXING)
        .set(KB_DOCUMENTS.EMBEDDING_MODEL, embeddingModel)
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(current(company, documentId, version)
            .and(KB_DOCUMENTS.STATUS.in(KbDocumentStatus.UPLOADED, KbDocumentStatus.INDEXING)))
        .execute() == 1;
  }

  public void setChunksTotal(CompanyId company, String documentId, int version, int total) {
    db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.CHUNKS_TOTAL, total)
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(current(company, documentId, version))
        .execute();
  }

  /** Progress only moves forward: a retried batch cannot move it back. */
  public void progress(CompanyId company, String documentId, int version, int chunksDone) {
    db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.CHUNKS_DONE, DSL.greatest(KB_DOCUMENTS.CHUNKS_DONE, DSL.val(chunksDone)))
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(current(company, documentId, version))
        .execute();
  }

  /**
   * indexing → ready, serving this version from now on.
   *
   * @return the version served before (to delete), empty if none or if this version is no longer current
   */
  public Optional<Integer> markReady(CompanyId company, String documentId, int version) {
    Optional<KbDocumentRow> before = find(company, documentId);
    if (before.isEmpty() || before.get().version() != version) {
      return Optional.empty();
    }
    int updated = db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.STATUS, KbDocumentStatus.READY)
        .set(KB_DOCUMENTS.READY_VERSION, version)
        .set(KB_DOCUMENTS.CHUNKS_DONE, DSL.coalesce(KB_DOCUMENTS.CHUNKS_TOTAL, KB_DOCUMENTS.CHUNKS_DONE))
        .set(KB_DOCUMENTS.ERROR_CODE, (String) null)
        .set(KB_DOCUMENTS.ERROR, (String) null)
        .set(KB_DOCUMENTS.INDEXED_AT, Times.toDb(clock.instant()))
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(current(company, documentId, version).and(KB_DOCUMENTS.STATUS.eq(KbDocumentStatus.INDEXING)))
        .execute();
    Integer previous = before.get().readyVersion();
    return updated == 1 && previous != null && previous != version ? Optional.of(previous) : Optional.empty();
  }

  /** uploaded|indexing → failed; a previously ready version keeps being served. */
  public boolean markFailed(CompanyId company, String documentId, int version, String code, String message) {
    return db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.STATUS, KbDocumentStatus.FAILED)
        .set(KB_DOCUMENTS.ERROR_CODE, code)
        .set(KB_DOCUMENTS.ERROR, message == null ? null : message.substring(0, Math.min(message.length(), 2000)))
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(current(company, documentId, version)
            .and(KB_DOCUMENTS.STATUS.in(KbDocumentStatus.UPLOADED, KbDocumentStatus.INDEXING)))
        .execute() == 1;
  }

  /**
   * ready|failed → uploaded with version + 1, for a reindex.
   *
   * @return the new version; empty while the document is being indexed or deleted
   */
  public Optional<Integer> newVersion(CompanyId company, String documentId) {
    int updated = db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.VERSION, KB_DOCUMENTS.VERSION.plus(1))
        .set(KB_DOCUMENTS.STATUS, KbDocumentStatus.UPLOADED)
        .set(KB_DOCUMENTS.CHUNKS_DONE, 0)
        .set(KB_DOCUMENTS.CHUNKS_TOTAL, (Integer) null)
        .set(KB_DOCUMENTS.ERROR_CODE, (String) null)
        .set(KB_DOCUMENTS.ERROR, (String) null)
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value())
            .and(KB_DOCUMENTS.ID.eq(documentId))
            .and(KB_DOCUMENTS.STATUS.in(KbDocumentStatus.READY, KbDocumentStatus.FAILED)))
        .execute();
    return updated == 1 ? find(company, documentId).map(KbDocumentRow::version) : Optional.empty();
  }

  /** Any state → deleting; retrieval stops citing the document at once. */
  public boolean markDeleting(CompanyId company, String documentId) {
    return db.update(KB_DOCUMENTS)
        .set(KB_DOCUMENTS.STATUS, KbDocumentStatus.DELETING)
        .set(KB_DOCUMENTS.UPDATED_AT, Times.toDb(clock.instant()))
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value()).and(KB_DOCUMENTS.ID.eq(documentId)))
        .execute() == 1;
  }

  public boolean delete(CompanyId company, String documentId) {
    return db.deleteFrom(KB_DOCUMENTS)
        .where(KB_DOCUMENTS.COMPANY_ID.eq(company.value()).and(KB_DOCUMENTS.ID.eq(documentId)))
        .execute() == 1;
  }

  private static Condition current(CompanyId company, String documentId, int version) {
    return KB_DOCUMENTS.COMPANY_ID.eq(company.value())
        .and(KB_DOCUMENTS.ID.eq(documentId))
        .and(KB_DOCUMENTS.VERSION.eq(version));
  }

  private static KbDocumentRow toRow(Record r) {
    return new KbDocumentRow(
        r.get(KB_DOCUMENTS.ID),
        r.get(KB_DOCUMENTS.COMPANY_ID),
        r.get(KB_DOCUMENTS.AGENT_ID),
        r.get(KB_DOCUMENTS.TITLE),
        r.get(KB_DOCUMENTS.CONTENT_TYPE),
        r.get(KB_DOCUMENTS.SIZE_BYTES),
        r.get(KB_DOCUMENTS.BLOB_REF),
        r.get(KB_DOCUMENTS.STATUS),
        r.get(KB_DOCUMENTS.VERSION),
        r.get(KB_DOCUMENTS.READY_VERSION),
        r.get(KB_DOCUMENTS.CHUNKS_TOTAL),
        r.get(KB_DOCUMENTS.CHUNKS_DONE),
        r.get(KB_DOCUMENTS.EMBEDDING_MODEL),
        r.get(KB_DOCUMENTS.ERROR_CODE),
        r.get(KB_DOCUMENTS.ERROR),
        Times.fromDb(r.get(KB_DOCUMENTS.CREATED_AT)),
        Times.fromDb(r.get(KB_DOCUMENTS.UPDATED_AT)),
        Times.fromDb(r.get(KB_DOCUMENTS.INDEXED_AT)));
  }
}
