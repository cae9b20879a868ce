package dev.saturn.workflows.kb;

import io.temporal.activity.ActivityInterface;

/** Retrieval for a chat turn; runs on the chat task queue. */
@ActivityInterface
public interface KbRetrievalActivities {

  /**
   * Embeds the turn's question, searches the agent's knowledge base (company and agent scoped),
   * keeps hits of documents' served versions, stores them against the turn (replacing any earlier
   * attempt's) and returns their citations.
   */
  KbRetrieval retrieve(KbRetrieveInput in);
}
