package dev.saturn.activities.chat;

import dev.saturn.activities.llm.PromptMessage;
import dev.saturn.db.kb.TurnPassage;
import java.util.List;
import java.util.Optional;

/**
 * The system message that carries a turn's retrieved passages, numbered so a model can cite them
 * as [n]. The "Knowledge base passages:" line is what the offline provider looks for.
 */
final class KbPrompt {

  static final String HEADER = "Knowledge base passages:";

  private KbPrompt() {}

  static Optional<PromptMessage> of(List<TurnPassage> passages) {
    if (passages.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder()
        .append("Answer from the knowledge base passages below when they are relevant, and cite them by number, ")
        .append("e.g. [1]. If they do not contain the answer, say so.\n")
        .append(HEADER).append('\n');
    for (TurnPassage p : passages) {
      // One paragraph per passage: blank lines inside a chunk would read as passage boundaries.
      String body = p.content().replaceAll("\\s*\\n\\s*", " ").strip();
      text.append('[').append(p.rank() + 1).append("] ").append(body).append("\n\n");
    }
    return Optional.of(new PromptMessage(PromptMessage.SYSTEM, text.toString().strip()));
  }
}
