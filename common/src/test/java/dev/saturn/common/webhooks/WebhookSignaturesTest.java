package dev.saturn.common.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignaturesTest {

  /** The vector the official standardwebhooks package (Python, 1.3.0) signs to the expected value below. */
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long TIMESTAMP = 1614265330L;
  static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  @Test
  void givenTheReferenceLibrarysVector_whenSigned_itShouldGiveTheSameSignature() {
    assertThat(WebhookSignatures.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
  }

  @Test
  void givenANewSecret_whenSignedHere_itShouldVerifyWithAnIndependentHmac() throws Exception {
    String secret = WebhookSignatures.newSecret();
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    assertThat(key).hasSize(32);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected = mac.doFinal(("evt_1." + TIMESTAMP + ".").concat(new String(BODY, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8));
    assertThat(WebhookSignatures.sign(secret, "evt_1", TIMESTAMP, BODY))
        .isEqualTo("v1," + Base64.getEncoder().encodeToString(expected));
  }

  @Test
  void givenTwoSecrets_whenTheHeaderIsBuilt_itShouldCarryBothSignaturesAndVerifyWithEither() {
    String old = WebhookSignatures.newSecret();
    String header = WebhookSignatures.header(List.of(SECRET, old), ID, TIMESTAMP, BODY);
    assertThat(List.of(header.split(" "))).hasSize(2).first().isEqualTo(EXPECTED);
    Instant now = Instant.ofEpochSecond(TIMESTAMP + 10);
    assertThat(WebhookSignatures.verify(List.of(old), ID, Long.toString(TIMESTAMP), header, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.VALID);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, Long.toString(TIMESTAMP), header, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.VALID);
  }

  @Test
  void givenAnyChange_whenVerified_itShouldRefuse() {
    Instant now = Instant.ofEpochSecond(TIMESTAMP);
    String ts = Long.toString(TIMESTAMP);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, ts, EXPECTED, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.VALID);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID + "x", ts, EXPECTED, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.NO_MATCHING_SIGNATURE);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, ts, EXPECTED, "{\"test\":2432232314}".getBytes(StandardCharsets.UTF_8),
        now, FIVE_MINUTES)).isEqualTo(WebhookSignatures.Verdict.NO_MATCHING_SIGNATURE);
    assertThat(WebhookSignatures.verify(List.of(WebhookSignatures.newSecret()), ID, ts, EXPECTED, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.NO_MATCHING_SIGNATURE);
    assertThat(WebhookSignatures.verify(List.of(), ID, ts, EXPECTED, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.NO_MATCHING_SIGNATURE);
    // another scheme's signature (asymmetric v1a) and garbage are skipped, not errors
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, ts, "v1a,AAAA v1,%%% " + EXPECTED, BODY, now, FIVE_MINUTES))
        .isEqualTo(WebhookSignatures.Verdict.VALID);
  }

  @Test
  void givenATimestampOutsideTheTolerance_whenVerified_itShouldRefuseItAsAReplay() {
    String ts = Long.toString(TIMESTAMP);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, ts, EXPECTED, BODY,
        Instant.ofEpochSecond(TIMESTAMP + 301), FIVE_MINUTES)).isEqualTo(WebhookSignatures.Verdict.OUTSIDE_TOLERANCE);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, ts, EXPECTED, BODY,
        Instant.ofEpochSecond(TIMESTAMP - 301), FIVE_MINUTES)).isEqualTo(WebhookSignatures.Verdict.OUTSIDE_TOLERANCE);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, ts, EXPECTED, BODY,
        Instant.ofEpochSecond(TIMESTAMP + 300), FIVE_MINUTES)).isEqualTo(WebhookSignatures.Verdict.VALID);
    assertThat(WebhookSignatures.verify(List.of(SECRET), ID, "soon", EXPECTED, BODY,
        Instant.ofEpochSecond(TIMESTAMP), FIVE_MINUTES)).isEqualTo(WebhookSignatures.Verdict.MALFORMED);
    assertThat(WebhookSignatures.verify(List.of(SECRET), null, ts, EXPECTED, BODY,
        Instant.ofEpochSecond(TIMESTAMP), FIVE_MINUTES)).isEqualTo(WebhookSignatures.Verdict.MALFORMED);
  }

  @Test
  void givenSecrets_whenChecked_itShouldAcceptOnlyThePrefixedBase64OfEnoughBytes() {
    assertThat(WebhookSignatures.isSecret(WebhookSignatures.newSecret())).isTrue();
    assertThat(WebhookSignatures.isSecret(SECRET)).isTrue();
    assertThat(WebhookSignatures.isSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[16]))).isFalse();
    assertThat(WebhookSignatures.isSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isFalse();
    assertThat(WebhookSignatures.isSecret("whsec_***")).isFalse();
  }
}
