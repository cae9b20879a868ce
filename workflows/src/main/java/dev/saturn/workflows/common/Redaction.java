package dev.saturn.workflows.common;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SATURN's one redaction policy, applied to logs, audit rows, turn state, turn events and traces:
 * a field is secret by its name ({@link #isSecretKey}); a value is masked where it looks like a
 * credential ({@link #redactText}); a tool can mark more of its argument fields secret (the JSON
 * walkers that apply this policy take those names). Pure functions, so workflow code may use them.
 */
public final class Redaction {

  public static final String REDACTED = "[REDACTED]";

  /** Words that make a field name secret wherever they appear in it. */
  private static final Set<String> SECRET_WORDS = Set.of(
      "password", "passwd", "passphrase", "secret", "secrets", "authorization", "credential", "credentials",
      "apikey", "cookie", "bearer");
  /** Word pairs that do, e.g. api_key, X-Api-Key, privateKey, key_hash, client_secret. */
  private static final Pattern SECRET_PAIR =
      Pattern.compile("(^| )(api key|private key|key hash|access key|signing key)( |$)");
  private static final Pattern WORD_BREAK = Pattern.compile("[^a-z0-9]+");
  /** A camelCase boundary; compiled once, as every journal event's field names pass through here. */
  private static final Pattern CAMEL_BOUNDARY = Pattern.compile("([a-z0-9])([A-Z])");

  /**
   * Values that are credentials whatever field holds them. Every pattern runs in linear time: each
   * starts with a literal, its runs are possessive over classes that exclude what follows them, and
   * an attempt that fails does so within a bounded number of characters, so no input (logs, tool
   * bodies up to 256 KiB) can make matching quadratic. JSON Web Tokens need {@link #maskJwts}
   * instead: their segments may hold '-' and then "eyJ" again, which a regex would rescan from each.
   */
  private static final Pattern[] SECRET_VALUES = {
    Pattern.compile("(?i)\\b(bearer|basic)\\s++[A-Za-z0-9._~+/=\\-]{6,}+"),
    Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{8,}+"),
    Pattern.compile("\\bsat_[A-Za-z0-9_]{8,}+"),
    Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}+"),
    Pattern.compile("\\bxox[abprs]-[A-Za-z0-9\\-]{10,}+"),
    Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
  };
  /**
   * {@code password=...}, {@code "api_key": "..."} and the like inside free text (log lines, error
   * bodies). The match starts at the key word, not at the start of the field name: a leading
   * {@code [A-Za-z0-9_-]*} made every position of a long word retry the whole word (quadratic).
   * Whatever precedes the key word stays as it is either way.
   */
  private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
      "(?i)((?:password|passwd|secret|token|api[_\\-]?key|authorization)\"?+\\s*+[:=]\\s*+\"?+)"
          + "([^\\s\"',;&}]{3,}+)");
  /** A JWT: eyJ + at least 8, a dot, at least 8, a dot, at least 1 base64url characters. */
  private static final String JWT_START = "eyJ";
  private static final int JWT_MIN_HEADER = 8;
  private static final int JWT_MIN_PAYLOAD = 8;

  private Redaction() {}

  /**
   * Whether a field's value must never be shown. The name is split into words (snake_case,
   * kebab-case, camelCase); "token" counts only as the last word, so {@code access_token} is
   * secret but {@code max_tokens} and {@code history_token_budget} are not.
   */
  public static boolean isSecretKey(String field) {
    if (field == null) {
      return false;
    }
    String words = WORD_BREAK.matcher(CAMEL_BOUNDARY.matcher(field).replaceAll("$1_$2").toLowerCase(Locale.ROOT))
        .replaceAll(" ").trim();
    if (words.isEmpty()) {
      return false;
    }
    String[] split = words.split(" ");
    for (String word : split) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
    }
    return split[split.length - 1].equals("token") || SECRET_PAIR.matcher(words).find();
  }

  /** The text with every credential-looking value masked; null stays null. Linear in the text's length. */
  public static String redactText(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Pattern pattern : SECRET_VALUES) {
      out = pattern.matcher(out).replaceAll(REDACTED);
    }
    out = maskJwts(out);
    Matcher m = SECRET_ASSIGNMENT.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = m.group(2);
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + (value.equals(REDACTED) ? value : REDACTED)));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Masks what {@code \beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+} matches, in one
   * pass. Within a dot-free piece only the first "eyJ" at a word start can begin a token (a later
   * one has less of the piece and the same pieces after it), so each character is looked at a
   * bounded number of times.
   */
  static String maskJwts(String text) {
    int at = text.indexOf(JWT_START);
    if (at < 0) {
      return text;
    }
    StringBuilder out = null;
    int copied = 0;
    while (at >= 0) {
      int headerEnd = runEnd(text, at);
      int start = firstTokenStart(text, at, headerEnd);
      if (start < 0) {
        at = text.indexOf(JWT_START, headerEnd);
        continue;
      }
      int payloadEnd = headerEnd < text.length() && text.charAt(headerEnd) == '.' ? runEnd(text, headerEnd + 1) : -1;
      int signatureEnd = payloadEnd >= 0 && payloadEnd < text.length() && text.charAt(payloadEnd) == '.'
          ? runEnd(text, payloadEnd + 1) : -1;
      if (headerEnd - start - JWT_START.length() >= JWT_MIN_HEADER
          && payloadEnd - headerEnd - 1 >= JWT_MIN_PAYLOAD
          && signatureEnd - payloadEnd - 1 >= 1) {
        if (out == null) {
          out = new StringBuilder(text.length());
        }
        out.append(text, copied, start).append(REDACTED);
        copied = signatureEnd;
        at = text.indexOf(JWT_START, signatureEnd);
      } else {
        // No token starts in this piece; the next piece (after the dot) may begin one.
        at = text.indexOf(JWT_START, headerEnd);
      }
    }
    return out == null ? text : out.append(text, copied, text.length()).toString();
  }

  /** The first "eyJ" in [from, pieceEnd) that starts a word (the regex's {@code \b}), or -1. */
  private static int firstTokenStart(String text, int from, int pieceEnd) {
    for (int i = from; i >= 0 && i + JWT_START.length() <= pieceEnd; i = text.indexOf(JWT_START, i + 1)) {
      if (i == 0 || !isWordChar(text.charAt(i - 1))) {
        return i;
      }
    }
    return -1;
  }

  /** The end of the run of base64url characters that starts at {@code from}. */
  private static int runEnd(String text, int from) {
    int i = from;
    while (i < text.length() && isBase64Url(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBase64Url(char c) {
    return isWordChar(c) || c == '-';
  }

  private static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  /** The text with each of {@code values} (known secrets, e.g. a tool's header values) masked. */
  public static String redactValues(String text, Iterable<String> values) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : values) {
      if (value != null && value.length() >= 4) {
        out = out.replace(value, REDACTED);
      }
    }
    return out;
  }
}
