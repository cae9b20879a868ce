package dev.saturn.activities.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.saturn.db.billing.Invoice;
import dev.saturn.db.channels.ChannelRepository;
import dev.saturn.db.chat.MessageRow;
import dev.saturn.db.chat.TurnRepository;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.webhooks.EventOutbox;
import dev.saturn.db.webhooks.WebhookEventType;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The webhook events of the facts the worker records, each written by the activity that records
 * the fact, inside its transaction ({@link EventOutbox}); every fact key is unique, so a retried
 * activity adds nothing. Payloads are thin (ids and a few values; fetch the rest through the API),
 * except {@code message.reply}, which carries the answer to the sender of an inbound message.
 */
@Component
public class WebhookFacts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventOutbox outbox;
  private final TurnRepository turns;
  private final ChannelRepository channels;

  public WebhookFacts(EventOutbox outbox, TurnRepository turns, ChannelRepository channels) {
    this.outbox = outbox;
    this.turns = turns;
    this.channels = channels;
  }

  /**
   * {@code turn.completed}, and the reply to the channel message that started the turn, if one did.
   * The caller read, in its transaction, whether a webhook subscribes to {@code turn.completed}
   * and where a channel reply goes ({@code TurnStepReads.end}).
   */
  public void turnCompleted(CompanyId company, String turnId, String sessionId, String agentId, MessageRow answer,
      long inputTokens, long outputTokens, boolean subscribed, Optional<ChannelRepository.ReplyTarget> replyTarget) {
    outbox.record(company, WebhookEventType.TURN_COMPLETED, "turn.completed:" + turnId, turn(turnId, sessionId, agentId)
        .put("message_id", answer.id())
        .put("input_tokens", inputTokens)
        .put("output_tokens", outputTokens)
        .toString(), null, subscribed);
    replyTo(company, turnId, sessionId, replyTarget, reply -> reply.put("status", "completed").set("message",
        JSON.createObjectNode()
            .put("id", answer.id())
            .put("content", answer.content())));
  }

  /**
   * {@code turn.failed} (with the message the API would show for the code), and the reply to the
   * channel message that started the turn, if one did.
   */
  public void turnFailed(CompanyId company, String turnId, String errorCode, String publicMessage) {
    Optional<TurnRow> turn = turns.find(company, turnId);
    String sessionId = turn.map(TurnRow::sessionId).orElse(null);
    ObjectNode error = JSON.createObjectNode().put("code", errorCode).put("message", publicMessage);
    outbox.record(company, WebhookEventType.TURN_FAILED, "turn.failed:" + turnId,
        turn(turnId, sessionId, turn.map(TurnRow::agentId).orElse(null)).set("error", error).toString());
    replyTo(company, turnId, sessionId, replyTarget(company, turnId),
        reply -> reply.put("status", "failed").set("error", error.deepCopy()));
  }

  public void approvalRequested(CompanyId company, String turnId, String callId, String sessionId, String agentId,
      String toolId, String toolName, Instant expiresAt) {
    outbox.record(company, WebhookEventType.APPROVAL_REQUESTED, "approval.requested:" + turnId + ":" + callId,
        turn(turnId, sessionId, agentId)
            .put("call_id", callId)
            .put("tool_id", toolId)
            .put("tool", toolName)
            .put("expires_at", expiresAt.toString())
            .toString());
  }

  /** @param decision approved, denied or timed_out */
  public void approvalDecided(CompanyId company, String turnId, String callId, String decision, String decidedBy) {
    outbox.record(company, WebhookEventType.APPROVAL_DECIDED, "approval.decided:" + turnId + ":" + callId,
        JSON.createObjectNode()
            .put("turn_id", turnId)
            .put("call_id", callId)
            .put("decision", decision)
            .put("decided_by", decidedBy)
            .toString());
  }

  public void documentReady(CompanyId company, String documentId, String agentId, int version) {
    outbox.record(company, WebhookEventType.KB_DOCUMENT_READY, "kb.document.ready:" + documentId + ":" + version,
        document(documentId, agentId, version).toString());
  }

  public void documentFailed(CompanyId company, String documentId, String agentId, int version, String code,
      String message) {
    outbox.record(company, WebhookEventType.KB_DOCUMENT_FAILED, "kb.document.failed:" + documentId + ":" + version,
        document(documentId, agentId, version)
            .set("error", JSON.createObjectNode().put("code", code).put("message", message))
            .toString());
  }

  /** A draft created or changed; each stored version of the draft is one fact (its {@code updated_at}). */
  public void invoiceDrafted(CompanyId company, Invoice invoice) {
    outbox.record(company, WebhookEventType.INVOICE_DRAFTED,
        "invoice.drafted:" + invoice.id() + ":" + invoice.updatedAt(),
        JSON.createObjectNode()
            .put("invoice_id", invoice.id())
            .put("period", invoice.period())
            .put("status", invoice.status().dbValue())
            .put("currency", invoice.currency())
            .put("total_minor", invoice.totalMinor())
            .put("event_count", invoice.eventCount())
            .toString());
  }

  /** Empty when no channel message started the turn, or its channel was deleted since. */
  private Optional<ChannelRepository.ReplyTarget> replyTarget(CompanyId company, String turnId) {
    Optional<ChannelRepository.ChannelMessage> message = channels.messageOfTurn(company, turnId);
    return message.flatMap(m -> channels.find(company, m.channelId())).map(channel ->
        new ChannelRepository.ReplyTarget(channel.id(), channel.endpointId(), message.get().webhookId(),
            message.get().sessionKey()));
  }

  private void replyTo(CompanyId company, String turnId, String sessionId,
      Optional<ChannelRepository.ReplyTarget> replyTarget, java.util.function.Consumer<ObjectNode> outcome) {
    if (replyTarget.isEmpty()) {
      return; // not a channel's turn, or the channel was deleted since
    }
    ChannelRepository.ReplyTarget target = replyTarget.get();
    ObjectNode reply = JSON.createObjectNode()
        .put("channel_id", target.channelId())
        .put("session_key", target.sessionKey())
        .put("session_id", sessionId)
        .put("turn_id", turnId)
        .put("in_reply_to", target.webhookId());
    outcome.accept(reply);
    outbox.record(company, WebhookEventType.MESSAGE_REPLY, "message.reply:" + turnId, reply.toString(),
        target.endpointId());
  }

  private static ObjectNode turn(String turnId, String sessionId, String agentId) {
    return JSON.createObjectNode().put("turn_id", turnId).put("session_id", sessionId).put("agent_id", agentId);
  }

  private static ObjectNode document(String documentId, String agentId, int version) {
    return JSON.createObjectNode().put("document_id", documentId).put("agent_id", agentId).put("version", version);
  }
}
