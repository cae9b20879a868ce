package dev.saturn.api.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets the embedded default makes up on first start (operator token, JWT signing key, payload
 * codec key): a configured value wins; otherwise the value is read from a file under the data dir,
 * or generated from {@link SecureRandom} into it (owner read/write only). Values are never logged,
 * only paths.
 */
public final class SecretFiles {

  private static final Logger log = LoggerFactory.getLogger(SecretFiles.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {}

  /** A blank data dir means the default, as for every other embedded file. */
  static Path dataDir(String configured) {
    return Path.of(configured == null || configured.isBlank() ? "./data" : configured);
  }

  /**
   * @param configured the configured value; used as is unless blank
   * @param prefix put before {@code randomBytes} random bytes in hex when generating
   * @param setting the environment variable an operator sets instead, named in the log line
   */
  static String configuredOrGenerated(String configured, Path file, String prefix, int randomBytes, String setting) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return readOrGenerate(file, () -> prefix + HexFormat.of().formatHex(randomBytes(randomBytes)), setting);
  }

  /** {@code count} bytes from the one {@link SecureRandom} of the secret files. */
  public static byte[] randomBytes(int count) {
    byte[] random = new byte[count];
    RANDOM.nextBytes(random);
    return random;
  }

  /**
   * The file's content (trimmed), or, when there is no file yet, a value from {@code generator}
   * written into it first.
   *
   * @param setting what an operator sets instead, named in the log line
   */
  public static String readOrGenerate(Path file, Supplier<String> generator, String setting) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      String value = generator.get();
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on file systems without POSIX permissions
      }
      log.warn("{} is not set: generated one in {}", setting, file.toAbsolutePath());
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret file " + file, e);
    }
  }
}
