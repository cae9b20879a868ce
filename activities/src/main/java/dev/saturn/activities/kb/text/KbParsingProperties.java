package dev.saturn.activities.kb.text;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code saturn.kb.parsing}: how many documents a worker parses at once, and the limits that keep
 * one document from taking the worker's memory or time. A document past a limit fails indexing
 * ({@code KB_INDEXING_FAILED}) with a message naming the limit.
 *
 * @param threads documents parsed at once by one worker
 * @param queue documents waiting for a parsing thread; past that an attempt fails with a retryable
 *     {@code SERVICE_UNAVAILABLE} and Temporal retries it with backoff
 * @param maxPdfPages a PDF with more pages is refused before any text is extracted
 * @param maxChars most characters of text one document may yield (every type)
 * @param pdfMemory PDFBox's buffers in main memory per document; beyond it they go to temp files
 * @param pdfScratch PDFBox's buffers in memory and temp files together per document
 * @param docxMaxEntrySize the largest file inside a DOCX, unpacked
 * @param docxMinInflateRatio a DOCX entry that packs smaller than this share of its unpacked size
 *     is taken for a zip bomb (POI's own default is 0.01, i.e. 1:100)
 */
@ConfigurationProperties("saturn.kb.parsing")
public record KbParsingProperties(
    @DefaultValue("2") int threads,
    @DefaultValue("100") int queue,
    @DefaultValue("2000") int maxPdfPages,
    @DefaultValue("10000000") int maxChars,
    @DefaultValue("64MB") DataSize pdfMemory,
    @DefaultValue("512MB") DataSize pdfScratch,
    @DefaultValue("32MB") DataSize docxMaxEntrySize,
    @DefaultValue("0.01") double docxMinInflateRatio) {

  public KbParsingProperties {
    // Blank values bind null; they mean the default like everywhere else.
    pdfMemory = pdfMemory == null ? DataSize.ofMegabytes(64) : pdfMemory;
    pdfScratch = pdfScratch == null ? DataSize.ofMegabytes(512) : pdfScratch;
    docxMaxEntrySize = docxMaxEntrySize == null ? DataSize.ofMegabytes(32) : docxMaxEntrySize;
    // The pool checks threads and queue; these would fail later and less clearly.
    if (maxPdfPages < 1 || maxChars < 1) {
      throw new IllegalArgumentException("saturn.kb.parsing.max-pdf-pages and max-chars must be positive");
    }
    if (docxMinInflateRatio < 0 || docxMinInflateRatio >= 1) {
      throw new IllegalArgumentException("saturn.kb.parsing.docx-min-inflate-ratio must be in [0, 1)");
    }
  }

  /** The defaults, for code that builds the parser without Spring (tests, benchmarks). */
  public static KbParsingProperties defaults() {
    return new KbParsingProperties(2, 100, 2000, 10_000_000, null, null, null, 0.01);
  }
}
