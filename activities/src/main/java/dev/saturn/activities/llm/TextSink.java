package dev.saturn.activities.llm;

/** Receives a model's answer text piece by piece, in order, as a {@link ChatProvider} streams it. */
@FunctionalInterface
public interface TextSink {

  /** Discards the text. */
  TextSink NONE = text -> {};

  /** The next piece of the answer; never empty. */
  void accept(String text);
}
