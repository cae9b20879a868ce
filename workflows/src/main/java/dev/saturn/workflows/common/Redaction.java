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

  /** Values that are credentials whatever field holds them. */
  private static final Pattern[] SECRET_VALUES = {
    Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=\\-]{6,}"),
    Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{8,}"),
    Pattern.compile("\\bsat_[A-Za-z0-9_]{8,}"),
    Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
    Pattern.compile("\\bxox[abprs]-[A-Za-z0-9\\-]{10,}"),
    Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
    Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]+"),
  };
  /** {@code password=...}, {@code "api_key": "..."} and the like inside free text (log lines, error bodies). */
  private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
      "(?i)(\"?[A-Za-z0-9_\\-]*(?:password|passwd|secret|token|api[_\\-]?key|authorization)\"?\\s*[:=]\\s*\"?)"
          + "([^\\s\"',;&}]{3,})");

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
    String words = WORD_BREAK.matcher(field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT))
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

  /** The text with every credential-looking value masked; null stays null. */
  public static String redactText(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Pattern pattern : SECRET_VALUES) {
      out = pattern.matcher(out).replaceAll(REDACTED);
    }
    Matcher m = SECRET_ASSIGNMENT.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = m.group(2);
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + (value.equals(REDACTED) ? value : REDACTED)));
    }
    m.appendTail(sb);
    return sb.toString();
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
