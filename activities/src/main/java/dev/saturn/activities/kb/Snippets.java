package dev.saturn.activities.kb;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The part of a passage worth showing: from the sentence that shares the most words with the
 * question, as many following sentences as fit. Deterministic, so the citation in the answer and the
 * one stored with the message agree.
 */
final class Snippets {

  private Snippets() {}

  static String of(String passage, String question, int maxChars) {
    String text = passage.replaceAll("\\s+", " ").strip();
    String[] sentences = text.split("(?<=[.!?])\\s+");
    Set<String> asked = words(question);
    int best = 0;
    int bestScore = 0;
    for (int i = 0; i < sentences.length; i++) {
      Set<String> shared = words(sentences[i]);
      shared.retainAll(asked);
      if (shared.size() > bestScore) {
        bestScore = shared.size();
        best = i;
      }
    }
    StringBuilder snippet = new StringBuilder(best > 0 ? "…" : "");
    for (int i = best; i < sentences.length && snippet.length() < maxChars; i++) {
      snippet.append(i > best ? " " : "").append(sentences[i]);
    }
    boolean cut = snippet.length() > maxChars;
    String out = cut ? snippet.substring(0, maxChars).strip() : snippet.toString();
    boolean more = cut || sentencesAfter(sentences, best, snippet.length(), maxChars);
    return more && !out.endsWith("…") ? out + "…" : out;
  }

  private static boolean sentencesAfter(String[] sentences, int from, int length, int maxChars) {
    int used = 0;
    for (int i = from; i < sentences.length; i++) {
      used += sentences[i].length() + 1;
    }
    return used > maxChars && length >= maxChars;
  }

  private static Set<String> words(String text) {
    Set<String> words = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (w.length() > 2) {
        words.add(w);
      }
    }
    return words;
  }
}
