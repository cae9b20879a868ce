package dev.saturn.workflows.kb;

/** One version of one document, by ids. */
public record KbDocumentRef(String companyId, String agentId, String documentId, int version) {

  public KbDocumentRef withVersion(int otherVersion) {
    return new KbDocumentRef(companyId, agentId, documentId, otherVersion);
  }
}
