package dev.saturn.api.chat;

import dev.saturn.api.identity.Caller;
import dev.saturn.api.identity.Permission;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.db.chat.MessageRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.SessionRepository;
import dev.saturn.db.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import dev.saturn.api.ApiController;

@ApiController
@Validated
class SessionController {

  private final SessionRepository sessions;
  private final MessageRepository messages;

  SessionController(SessionRepository sessions, MessageRepository messages) {
    this.sessions = sessions;
    this.messages = messages;
  }

  record MessageList(List<MessageView> items, String nextCursor) {}

  /** Oldest first; pass {@code next_cursor} back as {@code cursor} for the next page. */
  @GetMapping("/v1/sessions/{sessionId}/messages")
  @Operation(summary = "List a session's messages, oldest first")
  @Requires(Permission.CHAT)
  public MessageList messages(
      Caller caller,
      @PathVariable String sessionId,
      @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
    sessions.find(caller.company(), sessionId).orElseThrow(() -> ApiException.notFound("session " + sessionId));
    Page<MessageRow> page = messages.list(caller.company(), sessionId, cursor, limit);
    return new MessageList(page.items().stream().map(MessageView::of).toList(), page.nextCursor());
  }
}
