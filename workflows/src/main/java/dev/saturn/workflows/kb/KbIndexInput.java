package dev.saturn.workflows.kb;

/**
 * Start of {@link KbIndexingWorkflow}: which document version to index. {@code nextBatch} is 0 on
 * the first run and the first batch not yet done when the workflow continues as new.
 */
public record KbIndexInput(String companyId, String agentId, String documentId, int version, int nextBatch) {

  public KbDocumentRef ref() {
    return new KbDocumentRef(companyId, agentId, documentId, version);
  }
}
