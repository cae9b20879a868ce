/**
 * Inbound channels: a channel lets an outside system start turns of one agent with signed
 * messages ({@code channels}), maps its conversations to sessions ({@code channel_sessions}) and
 * remembers which turn each message started ({@code channel_messages}) so that the turn's end
 * becomes a reply to the channel's endpoint.
 */
package dev.saturn.db.channels;
