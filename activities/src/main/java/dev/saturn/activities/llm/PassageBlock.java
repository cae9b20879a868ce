package dev.saturn.activities.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * The one format in which knowledge-base passages reach a model: text of a user-role message (never
 * a system one, since a document may hold instructions), each passage inside delimiters:
 *
 * <pre>
 * &lt;kb_passages&gt;
 * &lt;passage n="1" document="handbook.pdf"&gt;The door code is 7319.&lt;/passage&gt;
 * &lt;/kb_passages&gt;
 * </pre>
 *
 * Passage text and document names are escaped ({@code &}, {@code <}, {@code >}, and {@code "} in
 * attributes), so nothing a document says can close the block, close its passage or open another.
 * The chat activity writes it; the offline provider reads it back.
 */
public final class PassageBlock {

  public static final String OPEN = "<kb_passages>";
  public static final String CLOSE = "</kb_passages>";
  private static final String PASSAGE_OPEN = "<passage ";
  private static final String PASSAGE_CLOSE = "</passage>";

  /** One passage: its number (what the model cites as [n]), its document's name, its text. */
  public record Passage(int number, String document, String text) {}

  private PassageBlock() {}

  public static String render(List<Passage> passages) {
    StringBuilder out = new StringBuilder(OPEN).append('\n');
    for (Passage p : passages) {
      out.append(PASSAGE_OPEN).append("n=\"").append(p.number()).append("\" document=\"")
          .append(escape(p.document(), true)).append("\">")
          .append(escape(p.text().strip(), false))
          .append(PASSAGE_CLOSE).append('\n');
    }
    return out.append(CLOSE).toString();
  }

  /** The passages' texts (unescaped) of the first block in {@code text}; empty when it has none. */
  public static List<String> texts(String text) {
    List<String> texts = new ArrayList<>();
    int open = text.indexOf(OPEN);
    int close = open < 0 ? -1 : text.indexOf(CLOSE, open);
    if (close < 0) {
      return texts;
    }
    int at = text.indexOf(PASSAGE_OPEN, open);
    while (at >= 0 && at < close) {
      int bodyStart = text.indexOf('>', at) + 1;
      int bodyEnd = text.indexOf(PASSAGE_CLOSE, bodyStart);
      if (bodyStart <= 0 || bodyEnd < 0 || bodyEnd > close) {
        break;
      }
      texts.add(unescape(text.substring(bodyStart, bodyEnd)));
      at = text.indexOf(PASSAGE_OPEN, bodyEnd);
    }
    return texts;
  }

  static String escape(String text, boolean attribute) {
    String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    return attribute ? escaped.replace("\"", "&quot;") : escaped;
  }

  /** The inverse of {@link #escape}; {@code &amp;} last, so "&amp;lt;" becomes "&lt;", not "<". */
  static String unescape(String text) {
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
  }
}
