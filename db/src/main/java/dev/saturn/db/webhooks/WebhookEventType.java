package dev.saturn.db.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The events SATURN emits, by their wire name ({@code type} of the payload). */
public enum WebhookEventType {
  TURN_COMPLETED("turn.completed", true),
  TURN_FAILED("turn.failed", true),
  APPROVAL_REQUESTED("approval.requested", true),
  APPROVAL_DECIDED("approval.decided", true),
  KB_DOCUMENT_READY("kb.document.ready", true),
  KB_DOCUMENT_FAILED("kb.document.failed", true),
  INVOICE_DRAFTED("invoice.drafted", true),
  INVOICE_FINALIZED("invoice.finalized", true),
  /** An endpoint was disabled; sent to every other active endpoint of the company, listed or not. */
  WEBHOOK_DISABLED("webhook.disabled", true),
  /** The answer to an inbound channel message; sent to that channel's reply URL only. */
  MESSAGE_REPLY("message.reply", false);

  private final String wireName;
  private final boolean subscribable;

  WebhookEventType(String wireName, boolean subscribable) {
    this.wireName = wireName;
    this.subscribable = subscribable;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether an endpoint may list it in its {@code events}. */
  public boolean subscribable() {
    return subscribable;
  }

  public static Optional<WebhookEventType> fromWire(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }
}
