package dev.saturn.activities.webhooks.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Standard Webhooks verifier written from the specification for tests, sharing no code with
 * SATURN's signer: the key is the base64 after {@code whsec_}; the signed content is
 * {@code webhook-id.webhook-timestamp.body}; {@code webhook-signature} is a space-separated list of
 * {@code v1,<base64 HMAC-SHA256>}, any of which may match.
 */
public final class SpecVerifier {

  private SpecVerifier() {}

  /** Whether any {@code v1} signature of the header was made with {@code secret}. */
  public static boolean verifies(String secret, String id, String timestamp, String signatureHeader, byte[] body) {
    String expected = sign(secret, id, timestamp, body);
    for (String candidate : signatureHeader.split(" ")) {
      if (MessageDigest.isEqual(candidate.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII))) {
        return true;
      }
    }
    return false;
  }

  /** {@code v1,<base64>} for one message: what a sender puts in {@code webhook-signature}. */
  public static String sign(String secret, String id, String timestamp, byte[] body) {
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("not a whsec_ secret");
    }
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
      byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
      byte[] signed = new byte[prefix.length + body.length];
      System.arraycopy(prefix, 0, signed, 0, prefix.length);
      System.arraycopy(body, 0, signed, prefix.length, body.length);
      return "v1," + Base64.getEncoder().encodeToString(hmac.doFinal(signed));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
