package dev.saturn.activities.kb.text;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.kb.KbContentTypes;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.openxml4j.util.ZipInputStreamZipEntrySource;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * Plain text out of an uploaded document: PDF through Apache PDFBox, DOCX through Apache POI, HTML
 * through jsoup (block elements become line breaks, scripts and styles are dropped), text and
 * Markdown as UTF-8. What cannot be read, or breaks a limit of {@link KbParsingProperties}, fails
 * non-retryably with the reason, because a retry reads the same bytes.
 *
 * <p>Limits: a PDF's page count is checked before any text is extracted, its buffers are capped in
 * memory and on disk, and its text is extracted a few pages at a time, checking the character cap
 * and the thread's interrupt between steps. A DOCX is opened through POI's zip guard (largest entry,
 * smallest compression ratio, at most 1000 entries, entries over 1 MB buffered in temp files) and
 * its text is capped. POI and a single PDF page do not notice an interrupt: those steps are bounded
 * by the limits alone.
 */
public final class DocumentTexts {

  /** Pages extracted between two checks of the character cap and the interrupt flag. */
  static final int PDF_PAGES_PER_STEP = 20;
  /** DOCX entries larger than this are buffered in temp files instead of the heap. */
  private static final int DOCX_ENTRY_BYTES_IN_MEMORY = 1024 * 1024;
  private static final String PREFIX = "saturn.kb.parsing.";

  private final KbParsingProperties limits;

  /**
   * Also sets POI's zip limits, which are process-wide (POI keeps them in static fields); in
   * SATURN only this class opens Office files.
   */
  public DocumentTexts(KbParsingProperties limits) {
    this.limits = limits;
    ZipSecureFile.setMaxEntrySize(limits.docxMaxEntrySize().toBytes());
    ZipSecureFile.setMinInflateRatio(limits.docxMinInflateRatio());
    ZipSecureFile.setMaxTextSize(limits.maxChars());
    ZipInputStreamZipEntrySource.setThresholdBytesForTempFiles(DOCX_ENTRY_BYTES_IN_MEMORY);
  }

  public String extract(String contentType, byte[] bytes) {
    String text;
    try {
      text = switch (contentType) {
        case KbContentTypes.TEXT, KbContentTypes.MARKDOWN -> new String(bytes, StandardCharsets.UTF_8);
        case KbContentTypes.HTML -> html(new String(bytes, StandardCharsets.UTF_8));
        case KbContentTypes.PDF -> pdf(bytes);
        case KbContentTypes.DOCX -> docx(bytes);
        default -> throw ApplicationFailure.newNonRetryableFailure(
            "unsupported document type " + contentType, ErrorCode.KB_UNSUPPORTED_TYPE.name());
      };
    } catch (ApplicationFailure failure) {
      throw failure;
    } catch (CancellationException interrupted) {
      throw interrupted;
    } catch (IOException | RuntimeException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "the " + contentType + " document could not be read: " + reason(e), ErrorCode.KB_INDEXING_FAILED.name(), e);
    }
    requireWithinChars(text.length());
    text = text.replace("\r\n", "\n").replace('\u0000', ' ').strip();
    if (text.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the document contains no text (a scanned PDF needs OCR first)", ErrorCode.KB_INDEXING_FAILED.name());
    }
    return text;
  }

  private String pdf(byte[] bytes) throws IOException {
    MemoryUsageSetting memory =
        MemoryUsageSetting.setupMixed(limits.pdfMemory().toBytes(), limits.pdfScratch().toBytes());
    try (PDDocument document = PDDocument.load(bytes, "", null, null, memory)) {
      int pages = document.getNumberOfPages();
      if (pages > limits.maxPdfPages()) {
        throw refused("the PDF has " + pages + " pages, more than " + PREFIX + "max-pdf-pages (" + limits.maxPdfPages() + ")");
      }
      PDFTextStripper stripper = new PDFTextStripper();
      StringBuilder text = new StringBuilder();
      for (int first = 1; first <= pages; first += PDF_PAGES_PER_STEP) {
        stopIfInterrupted();
        stripper.setStartPage(first);
        stripper.setEndPage(Math.min(pages, first + PDF_PAGES_PER_STEP - 1));
        text.append(stripper.getText(document));
        requireWithinChars(text.length());
      }
      return text.toString();
    }
  }

  private String docx(byte[] bytes) throws IOException {
    try (XWPFDocument document = new XWPFDocument(new ByteArrayInputStream(bytes));
        XWPFWordExtractor extractor = new XWPFWordExtractor(document)) {
      return extractor.getText();
    } catch (IOException | RuntimeException e) {
      Optional<ApplicationFailure> limit = docxLimit(e);
      if (limit.isPresent()) {
        throw limit.get();
      }
      throw e;
    }
  }

  /** POI reports its zip guard in words about its own API; say which of our settings was hit. */
  private Optional<ApplicationFailure> docxLimit(Exception e) {
    String message = String.valueOf(root(e).getMessage());
    if (message.startsWith("Zip bomb detected! The file would exceed the max size")) {
      return Optional.of(refused("a file inside the DOCX unpacks to more than " + PREFIX
          + "docx-max-entry-size (" + limits.docxMaxEntrySize().toMegabytes() + " MB); refused as a possible zip bomb"));
    }
    if (message.startsWith("Zip bomb detected! The file would exceed the max. ratio")) {
      return Optional.of(refused("a file inside the DOCX unpacks to more than " + Math.round(1 / limits.docxMinInflateRatio())
          + " times its packed size (" + PREFIX + "docx-min-inflate-ratio " + limits.docxMinInflateRatio()
          + "); refused as a possible zip bomb"));
    }
    if (message.contains("embeds more internal file entries than expected")) {
      return Optional.of(refused("the DOCX holds more than " + ZipSecureFile.getMaxFileCount()
          + " files; refused as a possible zip bomb"));
    }
    if (message.startsWith("The text would exceed the max allowed overall size of extracted text")) {
      return Optional.of(tooManyChars());
    }
    return Optional.empty();
  }

  private void requireWithinChars(int chars) {
    if (chars > limits.maxChars()) {
      throw tooManyChars();
    }
  }

  private ApplicationFailure tooManyChars() {
    return refused("the document has more than " + PREFIX + "max-chars (" + limits.maxChars() + ") characters of text");
  }

  private static ApplicationFailure refused(String why) {
    return ApplicationFailure.newNonRetryableFailure(why, ErrorCode.KB_INDEXING_FAILED.name());
  }

  /** The activity gave up on this parse (its pool interrupted us): stop between pages. */
  private static void stopIfInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("document parsing interrupted");
    }
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

  private static Throwable root(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String reason(Throwable e) {
    Throwable root = root(e);
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
