package dev.saturn.db.kb;

import static dev.saturn.db.jooq.Tables.KB_CHUNKS;

import dev.saturn.db.common.CompanyId;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep6;
import org.springframework.stereotype.Repository;

/** The chunk texts of each document version, read back by index range by the batch activities. */
@Repository
public class KbChunkRepository {

  private static final int INSERT_BATCH = 200;

  private final DSLContext db;

  public KbChunkRepository(DSLContext db) {
    this.db = db;
  }

  /** Writes the chunks unless they are there; the same (document, version, index) keeps its first text. */
  public void insertAll(CompanyId company, List<KbChunk> chunks) {
    for (int from = 0; from < chunks.size(); from += INSERT_BATCH) {
      InsertValuesStep6<?, String, Integer, Integer, String, String, Integer> insert = db.insertInto(KB_CHUNKS,
          KB_CHUNKS.DOCUMENT_ID, KB_CHUNKS.VERSION, KB_CHUNKS.CHUNK_INDEX, KB_CHUNKS.COMPANY_ID,
          KB_CHUNKS.CONTENT, KB_CHUNKS.TOKEN_COUNT);
      for (KbChunk chunk : chunks.subList(from, Math.min(chunks.size(), from + INSERT_BATCH))) {
        insert = insert.values(chunk.documentId(), chunk.version(), chunk.chunkIndex(), company.value(),
            chunk.content(), chunk.tokenCount());
      }
      insert.onDuplicateKeyUpdate().set(KB_CHUNKS.CHUNK_INDEX, KB_CHUNKS.CHUNK_INDEX).execute();
    }
  }

  public int count(CompanyId company, String documentId, int version) {
    return db.fetchCount(KB_CHUNKS, KB_CHUNKS.COMPANY_ID.eq(company.value())
        .and(KB_CHUNKS.DOCUMENT_ID.eq(documentId)).and(KB_CHUNKS.VERSION.eq(version)));
  }

  /** Chunks {@code [from, to)} of one version, in order. */
  public List<KbChunk> range(CompanyId company, String documentId, int version, int from, int to) {
    return db.selectFrom(KB_CHUNKS)
        .where(KB_CHUNKS.COMPANY_ID.eq(company.value())
            .and(KB_CHUNKS.DOCUMENT_ID.eq(documentId))
            .and(KB_CHUNKS.VERSION.eq(version))
            .and(KB_CHUNKS.CHUNK_INDEX.ge(from))
            .and(KB_CHUNKS.CHUNK_INDEX.lt(to)))
        .orderBy(KB_CHUNKS.CHUNK_INDEX)
        .fetch(r -> new KbChunk(r.getDocumentId(), r.getVersion(), r.getChunkIndex(), r.getContent(), r.getTokenCount()));
  }

  public void deleteVersion(CompanyId company, String documentId, int version) {
    db.deleteFrom(KB_CHUNKS)
        .where(KB_CHUNKS.COMPANY_ID.eq(company.value())
            .and(KB_CHUNKS.DOCUMENT_ID.eq(documentId))
            .and(KB_CHUNKS.VERSION.eq(version)))
        .execute();
  }

  public void deleteVersionsBelow(CompanyId company, String documentId, int version) {
    db.deleteFrom(KB_CHUNKS)
        .where(KB_CHUNKS.COMPANY_ID.eq(company.value())
            .and(KB_CHUNKS.DOCUMENT_ID.eq(documentId))
            .and(KB_CHUNKS.VERSION.lt(version)))
        .execute();
  }

  public void deleteDocument(CompanyId company, String documentId) {
    db.deleteFrom(KB_CHUNKS)
        .where(KB_CHUNKS.COMPANY_ID.eq(company.value()).and(KB_CHUNKS.DOCUMENT_ID.eq(documentId)))
        .execute();
  }
}
