package dev.saturn.api.openai;

import dev.saturn.api.chat.TurnStarter.PriorMessage;
import dev.saturn.api.web.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI-style conversation as a turn sees it: the last user message is the turn's input, the
 * user and assistant messages before it are the prior conversation, and system or developer
 * messages (wherever they are) become the turn's instructions, joined in order.
 *
 * @param instructions null when there are none
 */
record Conversation(String message, List<PriorMessage> prior, String instructions) {

  /** One message as the request gave it; {@code param} names it for errors, e.g. {@code messages[2]}. */
  record Entry(String role, String text, String param) {}

  static final String SYSTEM = "system";
  static final String DEVELOPER = "developer";

  /**
   * @param list the request member the entries came from, for errors
   * @param extraInstructions instructions given apart from the messages (the Responses API's
   *     {@code instructions}); they come first
   */
  static Conversation of(List<Entry> entries, String list, String extraInstructions) {
    int last = -1;
    for (int i = 0; i < entries.size(); i++) {
      if (PriorMessage.USER.equals(entries.get(i).role())) {
        last = i;
      }
    }
    if (last < 0) {
      throw ApiException.invalidField(list, "must contain a user message: the last one is the turn's input");
    }
    List<String> instructions = new ArrayList<>();
    if (extraInstructions != null && !extraInstructions.isBlank()) {
      instructions.add(extraInstructions.strip());
    }
    List<PriorMessage> prior = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      if (SYSTEM.equals(entry.role()) || DEVELOPER.equals(entry.role())) {
        if (!entry.text().isBlank()) {
          instructions.add(entry.text().strip());
        }
      } else if (i > last) {
        throw ApiException.invalidField(entry.param(),
            "comes after the last user message, which is the turn's input and must end the conversation");
      } else if (i < last) {
        prior.add(new PriorMessage(entry.role(), entry.text()));
      }
    }
    String message = entries.get(last).text();
    if (message.isBlank()) {
      throw ApiException.invalidField(entries.get(last).param(), "must not be blank: it is the turn's input");
    }
    return new Conversation(message, prior, instructions.isEmpty() ? null : String.join("\n\n", instructions));
  }
}
