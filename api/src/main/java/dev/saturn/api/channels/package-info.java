/**
 * Inbound channels: {@code /v1/channels} manages them (an agent, a signing secret shown once, a
 * reply URL), and {@code POST /v1/channels/{id}/messages} takes a message signed as a Standard
 * Webhook, starts a turn through the turn starter at once (202) and leaves the reply to the
 * worker, which delivers it to the reply URL as a signed {@code message.reply} event.
 */
package dev.saturn.api.channels;
