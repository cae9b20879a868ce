package dev.saturn.db.kb;

/** The states of a document; the indexing workflow moves it forward, a delete ends it. */
public final class KbDocumentStatus {

  public static final String UPLOADED = "uploaded";
  public static final String INDEXING = "indexing";
  public static final String READY = "ready";
  public static final String FAILED = "failed";
  public static final String DELETING = "deleting";

  private KbDocumentStatus() {}
}
