package dev.saturn.api.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API key format {@code sat_<prefix>_<secret>}: the prefix is public and finds the row, the
 * secret is only ever seen by the caller; we store SHA-256 of the whole key (the key carries
 * 190 random bits, so a fast hash is enough) and compare hashes in constant time.
 */
public final class ApiKeys {

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int PREFIX_LENGTH = 12;
  private static final int SECRET_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public record NewKey(String key, String prefix, String hash) {}

  public static NewKey generate() {
    String prefix = random(PREFIX_LENGTH);
    String key = "sat_" + prefix + "_" + random(SECRET_LENGTH);
    return new NewKey(key, prefix, hash(key));
  }

  /** The lookup prefix of a well-formed key, or empty for anything else. */
  public static Optional<String> prefixOf(String key) {
    if (key == null || key.length() != 4 + PREFIX_LENGTH + 1 + SECRET_LENGTH || !key.startsWith("sat_")) {
      return Optional.empty();
    }
    if (key.charAt(4 + PREFIX_LENGTH) != '_') {
      return Optional.empty();
    }
    return Optional.of(key.substring(4, 4 + PREFIX_LENGTH));
  }

  public static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean matches(String key, String storedHash) {
    return MessageDigest.isEqual(
        hash(key).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code length} characters of [A-Za-z0-9] from a {@link SecureRandom}. */
  static String random(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }
}
