package dev.saturn.workflows.kb;

import java.util.List;

/** The citations of a turn's retrieval (the passages themselves are stored against the turn). */
public record KbRetrieval(List<KbCitation> citations) {

  public KbRetrieval {
    citations = citations == null ? List.of() : List.copyOf(citations);
  }
}
