package dev.saturn.api.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.saturn.db.chat.MessageRow;
import java.time.Instant;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@code citations}: the knowledge-base passages an assistant answer drew on; absent when none. */
public record MessageView(
    String id,
    String turnId,
    String role,
    String content,
    Instant createdAt,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Citation> citations) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One passage: which document and chunk, how close it was to the question, and its opening. */
  public record Citation(
      @JsonProperty("document_id") String documentId,
      @JsonProperty("title") String title,
      @JsonProperty("chunk_index") int chunkIndex,
      @JsonProperty("score") double score,
      @JsonProperty("snippet") String snippet) {}

  static MessageView of(MessageRow row) {
    List<Citation> citations = row.citationsJson() == null
        ? List.of()
        : JSON.readValue(row.citationsJson(), new TypeReference<List<Citation>>() {});
    return new MessageView(row.id(), row.turnId(), row.role(), row.content(), row.createdAt(), citations);
  }
}
