package dev.saturn.db.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts secret tool header values at rest with AES-256-GCM. The key is
 * {@code saturn.tools.secret-key} (base64 of 32 bytes), or on a machine that sets none, a random
 * one generated once into {@code <data-dir>/tool-secrets.key}. Every process that stores or calls
 * tools (api and worker) needs the same key. A ciphertext is bound to its company, tool and
 * header name (GCM associated data), so one copied to another row does not decrypt.
 */
@Component
public class ToolSecrets {

  private static final Logger log = LoggerFactory.getLogger(ToolSecrets.class);
  private static final String VERSION = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  ToolSecrets(@Value("${saturn.tools.secret-key:}") String configured, @Value("${saturn.data-dir:}") String dataDir) {
    Path dir = Path.of(dataDir.isBlank() ? "./data" : dataDir);
    byte[] bytes = Base64.getDecoder().decode(configured.isBlank() ? readOrCreate(dir.resolve("tool-secrets.key")) : configured.trim());
    if (bytes.length != 32) {
      throw new IllegalStateException("saturn.tools.secret-key must be the base64 of 32 bytes, got " + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, "AES");
  }

  /** With a given key (base64 of 32 bytes), e.g. in tests of code that calls tools. */
  public static ToolSecrets withKey(String base64Key) {
    return new ToolSecrets(base64Key, "");
  }

  public String encrypt(String plaintext, String companyId, String toolId, String headerName) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(companyId, toolId, headerName));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, out, 0, nonce.length);
      System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
      return VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a tool secret", e);
    }
  }

  /** @throws IllegalStateException when the value was not sealed with this key for this header */
  public String decrypt(String ciphertext, String companyId, String toolId, String headerName) {
    if (ciphertext == null || !ciphertext.startsWith(VERSION)) {
      throw new IllegalStateException("not a tool secret ciphertext");
    }
    try {
      byte[] in = Base64.getDecoder().decode(ciphertext.substring(VERSION.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(companyId, toolId, headerName));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a tool secret does not decrypt with the configured key", e);
    }
  }

  private static byte[] associatedData(String companyId, String toolId, String headerName) {
    return (companyId + "\n" + toolId + "\n" + headerName).getBytes(StandardCharsets.UTF_8);
  }

  private static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String value = Base64.getEncoder().encodeToString(bytes);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // best effort on file systems without POSIX permissions
      }
      log.warn("saturn.tools.secret-key is not set: generated a tool-secret key in {}", file.toAbsolutePath());
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the tool-secret key file " + file, e);
    }
  }
}
