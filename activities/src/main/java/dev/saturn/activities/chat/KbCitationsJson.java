package dev.saturn.activities.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.saturn.activities.kb.KbRetrievalActivitiesImpl;
import dev.saturn.db.kb.TurnPassage;
import dev.saturn.workflows.kb.KbCitation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code messages.citations} document: a JSON array of citations in snake_case. */
final class KbCitationsJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private KbCitationsJson() {}

  static Optional<String> of(List<TurnPassage> passages, String question) {
    if (passages.isEmpty()) {
      return Optional.empty();
    }
    List<Map<String, Object>> items = passages.stream().map(p -> {
      KbCitation c = KbRetrievalActivitiesImpl.citation(p, question);
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("document_id", c.documentId());
      item.put("title", c.title());
      item.put("chunk_index", c.chunkIndex());
      item.put("score", c.score());
      item.put("snippet", c.snippet());
      return item;
    }).toList();
    try {
      return Optional.of(JSON.writeValueAsString(items));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
