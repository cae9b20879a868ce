package dev.saturn.api.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The platform operator's token for tenant creation: {@code SATURN_ADMIN_TOKEN}, or on a machine
 * that sets none, a random one generated once and kept in {@code <data-dir>/admin-token} (owner
 * read/write only) so the quick start needs no configuration. Its value is never logged.
 */
@Component
public class AdminToken {

  private static final Logger log = LoggerFactory.getLogger(AdminToken.class);

  private final byte[] token;

  AdminToken(@Value("${saturn.admin-token:}") String configured, @Value("${saturn.data-dir:}") String dataDir) {
    // A blank data dir means the default, as for every other embedded file.
    Path dir = Path.of(dataDir.isBlank() ? "./data" : dataDir);
    String value = configured.isBlank() ? readOrCreate(dir.resolve("admin-token")) : configured;
    this.token = value.getBytes(StandardCharsets.UTF_8);
  }

  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  private static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String value = "adm_" + HexFormat.of().formatHex(random);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on file systems without POSIX permissions
      }
      log.warn("SATURN_ADMIN_TOKEN is not set: generated an operator token in {}", file.toAbsolutePath());
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the admin token file " + file, e);
    }
  }
}
