package dev.saturn.db.kb;

import static dev.saturn.db.jooq.Tables.KB_BLOBS;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Times;
import java.time.Clock;
import org.jooq.DSLContext;

/** Bytes in {@code kb_blobs}, keyed by document id; references look like {@code db:<document id>}. */
public class DatabaseBlobStore implements BlobStore {

  static final String PREFIX = "db:";

  private final DSLContext db;
  private final Clock clock;

  public DatabaseBlobStore(DSLContext db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public String put(CompanyId company, String documentId, byte[] bytes) {
    db.insertInto(KB_BLOBS)
        .set(KB_BLOBS.DOCUMENT_ID, documentId)
        .set(KB_BLOBS.COMPANY_ID, company.value())
        .set(KB_BLOBS.CONTENT, bytes)
        .set(KB_BLOBS.CREATED_AT, Times.toDb(clock.instant()))
        .onDuplicateKeyUpdate()
        .set(KB_BLOBS.DOCUMENT_ID, KB_BLOBS.DOCUMENT_ID)
        .execute();
    return PREFIX + documentId;
  }

  @Override
  public byte[] get(CompanyId company, String ref) {
    return db.select(KB_BLOBS.CONTENT)
        .from(KB_BLOBS)
        .where(KB_BLOBS.COMPANY_ID.eq(company.value()).and(KB_BLOBS.DOCUMENT_ID.eq(id(ref))))
        .fetchOptional(KB_BLOBS.CONTENT)
        .orElseThrow(() -> new IllegalStateException("no stored bytes for " + ref));
  }

  @Override
  public void delete(CompanyId company, String ref) {
    db.deleteFrom(KB_BLOBS)
        .where(KB_BLOBS.COMPANY_ID.eq(company.value()).and(KB_BLOBS.DOCUMENT_ID.eq(id(ref))))
        .execute();
  }

  private static String id(String ref) {
    if (!ref.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a database blob reference: " + ref);
    }
    return ref.substring(PREFIX.length());
  }
}
