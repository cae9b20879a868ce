package dev.saturn.workflows.kb;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The document types the knowledge base reads, by file extension; shared by the API and the indexer. */
public final class KbContentTypes {

  public static final String TEXT = "text/plain";
  public static final String MARKDOWN = "text/markdown";
  public static final String HTML = "text/html";
  public static final String PDF = "application/pdf";
  public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

  private static final Map<String, String> BY_EXTENSION = Map.of(
      "txt", TEXT,
      "text", TEXT,
      "md", MARKDOWN,
      "markdown", MARKDOWN,
      "html", HTML,
      "htm", HTML,
      "pdf", PDF,
      "docx", DOCX);

  private KbContentTypes() {}

  /** The type of a file by its name's extension; empty for anything the knowledge base does not read. */
  public static Optional<String> ofFileName(String fileName) {
    if (fileName == null) {
      return Optional.empty();
    }
    int dot = fileName.lastIndexOf('.');
    if (dot < 0 || dot == fileName.length() - 1) {
      return Optional.empty();
    }
    return Optional.ofNullable(BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT)));
  }

  /** The type a client declared, when it is one of ours (parameters such as charset ignored). */
  public static Optional<String> ofMediaType(String mediaType) {
    if (mediaType == null) {
      return Optional.empty();
    }
    String bare = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return BY_EXTENSION.values().stream().filter(bare::equals).findFirst();
  }

  /** A quick check that the bytes are what the type says: a PDF header, a ZIP (DOCX) header, or text. */
  public static boolean looksLike(String type, byte[] bytes) {
    switch (type) {
      case PDF:
        return bytes.length >= 5 && bytes[0] == '%' && bytes[1] == 'P' && bytes[2] == 'D' && bytes[3] == 'F';
      case DOCX:
        return bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
      default:
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
          if (bytes[i] == 0) {
            return false;
          }
        }
        return true;
    }
  }
}
