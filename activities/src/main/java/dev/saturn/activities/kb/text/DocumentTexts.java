package dev.saturn.activities.kb.text;

import dev.langchain4j.data.document.BlankDocumentException;
import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentParser;
import dev.langchain4j.data.document.parser.apache.pdfbox.ApachePdfBoxDocumentParser;
import dev.langchain4j.data.document.parser.apache.poi.ApachePoiDocumentParser;
import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.kb.KbContentTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * Plain text out of an uploaded document: PDF through Apache PDFBox and DOCX through Apache POI
 * (langchain4j's parsers), HTML through jsoup (block elements become line breaks, scripts and
 * styles are dropped), text and Markdown as UTF-8. What cannot be read fails non-retryably with
 * the reason, because a retry reads the same bytes.
 */
public final class DocumentTexts {

  private DocumentTexts() {}

  public static String extract(String contentType, byte[] bytes) {
    String text;
    try {
      text = switch (contentType) {
        case KbContentTypes.TEXT, KbContentTypes.MARKDOWN -> new String(bytes, StandardCharsets.UTF_8);
        case KbContentTypes.HTML -> html(new String(bytes, StandardCharsets.UTF_8));
        case KbContentTypes.PDF -> parse(new ApachePdfBoxDocumentParser(), bytes);
        case KbContentTypes.DOCX -> parse(new ApachePoiDocumentParser(), bytes);
        default -> throw ApplicationFailure.newNonRetryableFailure(
            "unsupported document type " + contentType, ErrorCode.KB_UNSUPPORTED_TYPE.name());
      };
    } catch (ApplicationFailure failure) {
      throw failure;
    } catch (BlankDocumentException blank) {
      text = "";
    } catch (RuntimeException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "the " + contentType + " document could not be read: " + reason(e), ErrorCode.KB_INDEXING_FAILED.name(), e);
    }
    text = text.replace("\r\n", "\n").replace('\u0000', ' ').strip();
    if (text.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the document contains no text (a scanned PDF needs OCR first)", ErrorCode.KB_INDEXING_FAILED.name());
    }
    return text;
  }

  private static String parse(DocumentParser parser, byte[] bytes) {
    Document document = parser.parse(new ByteArrayInputStream(bytes));
    return document.text();
  }

  static String html(String html) {
    org.jsoup.nodes.Document document = Jsoup.parse(html);
    document.select("script, style, noscript, template").remove();
    for (Element block : document.select("p, div, br, li, tr, h1, h2, h3, h4, h5, h6, pre, blockquote, section, article, table")) {
      block.appendText("\n");
    }
    String title = document.title();
    String body = document.body() == null ? "" : document.body().wholeText();
    String text = body.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\\n *", "\n").replaceAll("\\n{3,}", "\n\n");
    return title.isBlank() ? text : title + "\n\n" + text;
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
