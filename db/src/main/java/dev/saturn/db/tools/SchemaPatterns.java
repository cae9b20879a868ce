package dev.saturn.db.tools;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpressions;
import java.util.ArrayDeque;

/**
 * The {@code pattern}s of tool parameter schemas, which tool authors write and model output is
 * matched against, compiled for RE2/J: matching takes time linear in the input whatever the
 * pattern ({@code ^(a+)+$} included), where Java's backtracking engine can take exponential time.
 * The syntax is RE2's, which covers what JSON Schema authors use of ECMA-262 except lookaround and
 * backreferences; {@code \}{@code uXXXX}, {@code \}{@code u{X}}, {@code \}{@code cX} and long
 * Unicode property names ({@code \}{@code p{Letter}}) are translated. A pattern is also refused
 * when it is too large once counted repetitions are expanded ({@code ((a{100}){100}){100}} is a
 * million states, and RE2's time is linear in the input times that size).
 */
public final class SchemaPatterns {

  /** The most states a pattern may have, counting {@code x{n,m}} as m copies of x. */
  public static final int MAX_SIZE = 1000;

  private SchemaPatterns() {}

  /** A pattern SATURN refuses to run; the message says why, for the tool's author. */
  public static final class InvalidPattern extends IllegalArgumentException {
    InvalidPattern(String message) {
      super(message);
    }
  }

  /**
   * The compiled pattern; {@code find} on it is what JSON Schema's {@code pattern} means (the
   * pattern may match anywhere unless anchored).
   *
   * @throws InvalidPattern when RE2 cannot run it or it is too large
   */
  public static Pattern compile(String ecma) {
    String re2 = translate(RegularExpressions.replaceLongformCharacterProperties(ecma));
    if (size(re2) > MAX_SIZE) {
      throw new InvalidPattern("is too large: at most " + MAX_SIZE
          + " states, counting x{n,m} as m copies of x");
    }
    try {
      return Pattern.compile(re2);
    } catch (PatternSyntaxException e) {
      throw new InvalidPattern("is not a pattern SATURN can run (RE2 syntax, without lookaround or "
          + "backreferences): " + e.getMessage().replace("error parsing regexp: ", ""));
    }
  }

  /** Rewrites the ECMA-262 escapes RE2 spells differently; everything else is left to RE2 to judge. */
  static String translate(String ecma) {
    StringBuilder out = new StringBuilder(ecma.length() + 8);
    for (int i = 0; i < ecma.length(); i++) {
      char c = ecma.charAt(i);
      if (c != '\\' || i + 1 >= ecma.length()) {
        out.append(c);
        continue;
      }
      char next = ecma.charAt(i + 1);
      if (next == 'u' && isHex(ecma, i + 2, i + 6)) {
        out.append("\\x{").append(ecma, i + 2, i + 6).append('}');
        i += 5;
      } else if (next == 'u' && i + 2 < ecma.length() && ecma.charAt(i + 2) == '{') {
        out.append("\\x");
        i += 1;
      } else if (next == 'c' && i + 2 < ecma.length() && Character.isLetter(ecma.charAt(i + 2))
          && ecma.charAt(i + 2) < 128) {
        out.append("\\x{").append(Integer.toHexString(ecma.charAt(i + 2) % 32)).append('}');
        i += 2;
      } else {
        out.append(c).append(next);
        i += 1;
      }
    }
    return out.toString();
  }

  private static boolean isHex(String s, int from, int to) {
    if (to > s.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * An upper estimate of the states RE2 compiles the pattern to: one per literal, class or
   * operator, a group's states times the largest count of a repetition applied to it. Stops
   * counting once past {@link #MAX_SIZE}.
   */
  static long size(String re) {
    long limit = MAX_SIZE + 1L;
    ArrayDeque<long[]> open = new ArrayDeque<>();
    long[] group = new long[2]; // [states of the finished alternatives, states of the current one]
    long last = 0; // states of the last atom, which a repetition multiplies
    int i = 0;
    while (i < re.length()) {
      char c = re.charAt(i);
      long atom = -1;
      switch (c) {
        case '\\' -> {
          if (i + 1 < re.length() && re.charAt(i + 1) == 'Q') {
            int end = re.indexOf("\\E", i + 2);
            int stop = end < 0 ? re.length() : end;
            atom = Math.max(1, stop - (i + 2));
            i = end < 0 ? re.length() : end + 2;
          } else {
            i = escapeEnd(re, i);
            atom = 1;
          }
        }
        case '[' -> {
          i = classEnd(re, i);
          atom = 1;
        }
        case '(' -> {
          int flagsEnd = flagsOnly(re, i);
          if (flagsEnd > 0) {
            i = flagsEnd;
            atom = 0;
          } else {
            open.push(group);
            group = new long[2];
            last = 0;
            i = groupBodyStart(re, i);
          }
        }
        case ')' -> {
          atom = group[0] + group[1] + 1;
          group = open.isEmpty() ? new long[2] : open.pop();
          i++;
        }
        case '|' -> {
          group[0] += group[1] + 1;
          group[1] = 0;
          last = 0;
          i++;
        }
        case '*', '+', '?' -> {
          group[1] += 1;
          i++;
        }
        case '{' -> {
          int close = re.indexOf('}', i);
          long count = close < 0 ? -1 : repeatCount(re.substring(i + 1, close));
          if (count < 0) {
            atom = 1;
            i++;
          } else {
            group[1] += Math.min(limit, last * (count - 1) + 1);
            last = Math.min(limit, last * count);
            i = close + 1;
          }
        }
        default -> {
          atom = 1;
          i++;
        }
      }
      if (atom >= 0) {
        group[1] += atom;
        last = atom;
      }
      long total = group[0] + group[1];
      for (long[] outer : open) {
        total += outer[0] + outer[1];
      }
      if (total > limit) {
        return total;
      }
    }
    return group[0] + group[1];
  }

  /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when it is no repetition (a literal brace). */
  private static long repeatCount(String inside) {
    int comma = inside.indexOf(',');
    String min = comma < 0 ? inside : inside.substring(0, comma);
    String max = comma < 0 ? "" : inside.substring(comma + 1);
    if (min.isEmpty() || min.length() > 6 || !min.chars().allMatch(Character::isDigit)
        || max.length() > 6 || !max.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    long n = Long.parseLong(min);
    return comma < 0 ? n : max.isEmpty() ? n + 1 : Math.max(n, Long.parseLong(max));
  }

  private static int escapeEnd(String re, int i) {
    if (i + 2 < re.length() && "pPx".indexOf(re.charAt(i + 1)) >= 0 && re.charAt(i + 2) == '{') {
      int close = re.indexOf('}', i);
      return close < 0 ? re.length() : close + 1;
    }
    return Math.min(re.length(), i + 2);
  }

  private static int classEnd(String re, int i) {
    int j = i + 1;
    if (j < re.length() && re.charAt(j) == '^') {
      j++;
    }
    if (j < re.length() && re.charAt(j) == ']') {
      j++;
    }
    while (j < re.length() && re.charAt(j) != ']') {
      if (re.charAt(j) == '\\') {
        j = escapeEnd(re, j);
      } else if (re.startsWith("[:", j)) {
        int close = re.indexOf(":]", j + 2);
        j = close < 0 ? j + 1 : close + 2;
      } else {
        j++;
      }
    }
    return Math.min(re.length(), j + 1);
  }

  /** The index after a flags-only group such as {@code (?i)}, or -1. */
  private static int flagsOnly(String re, int i) {
    if (!re.startsWith("(?", i)) {
      return -1;
    }
    int j = i + 2;
    while (j < re.length() && (Character.isLetter(re.charAt(j)) || re.charAt(j) == '-')) {
      j++;
    }
    return j > i + 2 && j < re.length() && re.charAt(j) == ')' ? j + 1 : -1;
  }

  /** Skips {@code (}, {@code (?:}, {@code (?i:}, {@code (?<name>} and {@code (?P<name>}. */
  private static int groupBodyStart(String re, int i) {
    if (!re.startsWith("(?", i)) {
      return i + 1;
    }
    int j = i + 2;
    if (j < re.length() && (re.charAt(j) == '<' || re.startsWith("P<", j))) {
      int close = re.indexOf('>', j);
      return close < 0 ? re.length() : close + 1;
    }
    while (j < re.length() && (Character.isLetter(re.charAt(j)) || re.charAt(j) == '-')) {
      j++;
    }
    return j < re.length() && re.charAt(j) == ':' ? j + 1 : i + 1;
  }
}
