package dev.saturn.workflows.tools;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {name}} placeholders of a tool's URL template, defined once for the API (which checks
 * templates) and the tool activity (which fills them). Pure string handling, no I/O.
 */
public final class UrlPlaceholders {

  /** One placeholder; group 1 is its name. */
  public static final Pattern PATTERN = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]{0,63})}");

  /** More rounds of percent-decoding than any server applies. */
  private static final int DECODE_ROUNDS = 4;

  private UrlPlaceholders() {}

  /**
   * Whether a path segment reads as {@code .} or {@code ..} to a server that percent-decodes it
   * (once or more) and drops a {@code ;parameter} (as Tomcat does): such a segment moves the
   * request to another path of the host.
   */
  public static boolean isDotSegment(String segment) {
    String decoded = decode(segment);
    int parameter = decoded.indexOf(';');
    String name = parameter < 0 ? decoded : decoded.substring(0, parameter);
    return name.equals(".") || name.equals("..");
  }

  /** The text percent-decoded until nothing changes (a few rounds at most); malformed escapes stay as they are. */
  public static String decode(String text) {
    String current = text;
    for (int round = 0; round < DECODE_ROUNDS && current.indexOf('%') >= 0; round++) {
      String next = decodeOnce(current);
      if (next.equals(current)) {
        break;
      }
      current = next;
    }
    return current;
  }

  private static String decodeOnce(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      int hi = text.charAt(i) == '%' && i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 3;
      } else {
        int codePoint = text.codePointAt(i);
        byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        bytes.write(utf8, 0, utf8.length);
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The names the template uses, in order of first use. */
  public static Set<String> names(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PATTERN.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
