package dev.saturn.activities.chat;

/**
 * What an attempt of a model call had streamed, carried in its heartbeats: a retry reads the last
 * one Temporal recorded and knows whether a client may have seen text that the new attempt's text
 * replaces.
 *
 * @param chars characters written to the turn's journal as {@code message.delta} events
 * @param deltas how many such events
 */
public record AnswerProgress(int step, int attempt, long chars, int deltas) {}
