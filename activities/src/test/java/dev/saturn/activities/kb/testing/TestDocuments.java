package dev.saturn.activities.kb.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Real PDF and DOCX files made by the tests themselves (PDFBox and POI), so no binary fixture is checked in. */
public final class TestDocuments {

  private TestDocuments() {}

  /** A PDF with one page per entry; each page's text is wrapped into lines of at most 90 characters. */
  public static byte[] pdf(List<String> pages) {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDType1Font font = PDType1Font.HELVETICA;
      for (String text : pages) {
        PDPage page = new PDPage();
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(font, 11);
          content.setLeading(14);
          content.newLineAtOffset(50, 740);
          for (String line : wrap(text, 90)) {
            content.showText(line);
            content.newLine();
          }
          content.endText();
        }
      }
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A DOCX with one paragraph per entry. */
  public static byte[] docx(List<String> paragraphs) {
    try (XWPFDocument document = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (String text : paragraphs) {
        document.createParagraph().createRun().setText(text);
      }
      document.write(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PDF of {@code pages} empty pages. */
  public static byte[] emptyPdf(int pages) {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int i = 0; i < pages; i++) {
        document.addPage(new PDPage());
      }
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A DOCX made by POI whose {@code word/document.xml} is rewritten to hold one text run of
   * {@code textBytes} bytes: all {@code letter}, which packs about 1000:1, or random lowercase
   * letters when {@code letter} is 0. Written as a stream, so only the packed bytes are in memory.
   */
  public static byte[] docxWithBody(long textBytes, byte letter) {
    byte[] template = docx(List.of("placeholder"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(template));
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        zip.putNextEntry(new ZipEntry(entry.getName()));
        if (entry.getName().equals("word/document.xml")) {
          zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
              + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
              + "<w:body><w:p><w:r><w:t>").getBytes(StandardCharsets.UTF_8));
          writeText(zip, textBytes, letter);
          zip.write("</w:t></w:r></w:p></w:body></w:document>".getBytes(StandardCharsets.UTF_8));
        } else {
          in.transferTo(zip);
        }
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeText(ZipOutputStream zip, long bytes, byte letter) throws IOException {
    byte[] block = new byte[64 * 1024];
    Random random = new Random(42);
    for (long written = 0; written < bytes; written += block.length) {
      for (int i = 0; i < block.length; i++) {
        block[i] = letter != 0 ? letter : (byte) ('a' + random.nextInt(26));
      }
      zip.write(block, 0, (int) Math.min(block.length, bytes - written));
    }
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() + word.length() + 1 > width && line.length() > 0) {
        lines.add(line.toString());
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
