package dev.saturn.db.kb;

import dev.saturn.db.common.CompanyId;

/**
 * Where uploaded document bytes live. The API stores them, the indexing workflow's activities read
 * them back by the returned reference. Implementations: {@link DatabaseBlobStore} (default; every
 * worker can read what any API instance received) and {@link DirectoryBlobStore} (one machine, or a
 * shared volume). An S3-compatible store is one more implementation of these three methods.
 */
public interface BlobStore {

  /** Stores the bytes of a document and returns the reference to keep in {@code kb_documents.blob_ref}. */
  String put(CompanyId company, String documentId, byte[] bytes);

  /** @throws IllegalStateException when nothing is stored under the reference for this company */
  byte[] get(CompanyId company, String ref);

  /** Removes the bytes; removing what is not there is not an error. */
  void delete(CompanyId company, String ref);
}
