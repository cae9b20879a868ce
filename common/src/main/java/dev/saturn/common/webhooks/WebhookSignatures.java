package dev.saturn.common.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhooks as the Standard Webhooks specification says: the secret is
 * {@code whsec_} + base64 of random bytes; a signature is {@code v1,} + base64 of HMAC-SHA256,
 * keyed with the decoded secret, over {@code {webhook-id}.{webhook-timestamp}.{body}}; the
 * {@code webhook-signature} header is a space-separated list of signatures, so a message can be
 * signed with a new and an old secret during a rotation.
 */
public final class WebhookSignatures {

  public static final String SECRET_PREFIX = "whsec_";
  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";
  /** 32 bytes: above the specification's minimum of 24. */
  static final int SECRET_BYTES = 32;
  private static final String VERSION = "v1,";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignatures() {}

  /** Why a message was refused, or {@link #VALID}. */
  public enum Verdict {
    VALID,
    /** A header is missing or not of the expected form. */
    MALFORMED,
    /** The timestamp is further from now than the tolerance: too old (a replay) or too far ahead. */
    OUTSIDE_TOLERANCE,
    /** No signature in the header matches any of the secrets. */
    NO_MATCHING_SIGNATURE
  }

  /** A new secret, {@code whsec_} + base64 of 32 random bytes; shown to its owner once. */
  public static String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    RANDOM.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  /** {@code v1,<base64>}: the signature of one message with one secret. */
  public static String sign(String secret, String messageId, long timestampSeconds, byte[] body) {
    return VERSION + Base64.getEncoder().encodeToString(mac(key(secret), messageId, timestampSeconds, body));
  }

  /** The {@code webhook-signature} header: one signature per secret, space-separated, in the order given. */
  public static String header(List<String> secrets, String messageId, long timestampSeconds, byte[] body) {
    List<String> signatures = new ArrayList<>(secrets.size());
    for (String secret : secrets) {
      signatures.add(sign(secret, messageId, timestampSeconds, body));
    }
    return String.join(" ", signatures);
  }

  /**
   * Checks a received message: the timestamp within {@code tolerance} of {@code now}, and one of
   * the header's {@code v1} signatures equal (compared in constant time) to the signature with one
   * of {@code secrets}. Signatures of other schemes in the header are skipped.
   */
  public static Verdict verify(
      List<String> secrets, String messageId, String timestamp, String signatureHeader, byte[] body, Instant now,
      Duration tolerance) {
    if (messageId == null || messageId.isEmpty() || timestamp == null || signatureHeader == null) {
      return Verdict.MALFORMED;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return Verdict.MALFORMED;
    }
    if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
      return Verdict.OUTSIDE_TOLERANCE;
    }
    List<byte[]> expected = new ArrayList<>(secrets.size());
    for (String secret : secrets) {
      expected.add(mac(key(secret), messageId, seconds, body));
    }
    boolean matched = false;
    for (String signature : signatureHeader.trim().split(" +")) {
      if (!signature.startsWith(VERSION)) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(signature.substring(VERSION.length()));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] candidate : expected) {
        // no early exit: every pair is compared, so the time does not say which secret matched
        matched |= MessageDigest.isEqual(candidate, given);
      }
    }
    return matched ? Verdict.VALID : Verdict.NO_MATCHING_SIGNATURE;
  }

  /** Whether {@code secret} has the form {@link #newSecret} makes (prefix, base64 of 24 to 64 bytes). */
  public static boolean isSecret(String secret) {
    try {
      int length = key(secret).length;
      return length >= 24 && length <= 64;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] key(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
    }
    return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
  }

  private static byte[] mac(byte[] key, String messageId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
