package dev.saturn.api.channels;

import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import dev.saturn.api.web.FieldError;
import dev.saturn.common.webhooks.WebhookSignatures;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inbound side of a channel. Public at the door: a sender has no API key; the Standard
 * Webhooks signature over the raw body is its credential, checked by {@link ChannelInbox} before
 * anything is recorded. The body's shape is checked first (a malformed body is refused the same
 * way for everyone and tells nothing about the channel).
 */
@ApiController
class ChannelMessageController {

  static final int MAX_SESSION_KEY = 200;

  private final ChannelInbox inbox;
  private final JsonMapper json;

  ChannelMessageController(ChannelInbox inbox, JsonMapper json) {
    this.inbox = inbox;
    this.json = json;
  }

  @PostMapping(path = "/v1/channels/{channelId}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Send a signed message to a channel's agent; answers 202 with the turn, the reply goes to the reply URL")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
      mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ChannelInbox.InboundMessage.class)))
  @SecurityRequirements // no bearer credential: the webhook-signature header is the credential
  @Requires.Public
  @ResponseStatus(HttpStatus.ACCEPTED)
  public ChannelInbox.MessageAccepted receive(
      @PathVariable String channelId,
      @RequestHeader(name = WebhookSignatures.ID_HEADER, required = false) String webhookId,
      @RequestHeader(name = WebhookSignatures.TIMESTAMP_HEADER, required = false) String timestamp,
      @RequestHeader(name = WebhookSignatures.SIGNATURE_HEADER, required = false) String signature,
      @RequestBody byte[] body,
      HttpServletRequest request) {
    return inbox.receive(channelId, webhookId, timestamp, signature, body, parse(body, request));
  }

  /** The body as the signed bytes' JSON, read as strictly as every other body. */
  private ChannelInbox.InboundMessage parse(byte[] body, HttpServletRequest request) {
    ChannelInbox.InboundMessage message;
    try {
      message = json.readValue(body, ChannelInbox.InboundMessage.class);
    } catch (JacksonException e) {
      throw new HttpMessageNotReadableException(e.getOriginalMessage(), e, new ServletServerHttpRequest(request));
    }
    List<FieldError> errors = new ArrayList<>();
    if (message == null || message.sessionKey() == null || message.sessionKey().isBlank()) {
      errors.add(new FieldError("session_key", "must not be blank"));
    } else if (message.sessionKey().length() > MAX_SESSION_KEY) {
      errors.add(new FieldError("session_key", "must be at most " + MAX_SESSION_KEY + " characters"));
    }
    if (message == null || message.message() == null || message.message().isBlank()) {
      errors.add(new FieldError("message", "must not be blank"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation("The message is invalid", errors);
    }
    return message;
  }
}
