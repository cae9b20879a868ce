package dev.saturn.db.kb;

import dev.saturn.db.common.CompanyId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Bytes as files {@code <root>/<company id>/<document id>}; references look like
 * {@code file:<company id>/<document id>}. A reference of another company does not resolve.
 */
public class DirectoryBlobStore implements BlobStore {

  static final String PREFIX = "file:";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final Path root;

  public DirectoryBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public String put(CompanyId company, String documentId, byte[] bytes) {
    Path file = file(company, safe(documentId));
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), documentId, ".part");
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return PREFIX + company.value() + "/" + documentId;
  }

  @Override
  public byte[] get(CompanyId company, String ref) {
    try {
      return Files.readAllBytes(resolve(company, ref));
    } catch (NoSuchFileException e) {
      throw new IllegalStateException("no stored bytes for " + ref, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(CompanyId company, String ref) {
    try {
      Files.deleteIfExists(resolve(company, ref));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path resolve(CompanyId company, String ref) {
    String expected = PREFIX + company.value() + "/";
    if (!ref.startsWith(expected)) {
      throw new IllegalStateException("no stored bytes for " + ref);
    }
    return file(company, safe(ref.substring(expected.length())));
  }

  private Path file(CompanyId company, String documentId) {
    return root.resolve(safe(company.value())).resolve(documentId);
  }

  private static String safe(String id) {
    if (!SAFE_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("unsafe id for a file name: " + id);
    }
    return id;
  }
}
