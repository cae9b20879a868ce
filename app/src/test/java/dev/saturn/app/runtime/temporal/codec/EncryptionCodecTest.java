package dev.saturn.app.runtime.temporal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncryptionCodecTest {

  static final String KEY_A = "a:" + key(1);
  static final String KEY_B = "b:" + key(2);

  static String key(int fill) {
    byte[] bytes = new byte[32];
    java.util.Arrays.fill(bytes, (byte) fill);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static EncryptionCodec codec(String keys) {
    return new EncryptionCodec(CodecKeys.parse(keys, "test"));
  }

  static Payload json(String text) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(text))
        .build();
  }

  @Test
  void givenAPayload_whenEncoded_itShouldHideItsDataAndMetadataAndNameTheKey() {
    Payload plain = json("{\"userMessage\":\"my card number is 4111\"}");

    Payload sealed = codec(KEY_A).encode(List.of(plain)).get(0);

    assertThat(sealed.getMetadataMap().get("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
    assertThat(sealed.getMetadataMap().get("encryption-key-id").toStringUtf8()).isEqualTo("a");
    assertThat(sealed.getMetadataMap().get("encryption-cipher").toStringUtf8()).isEqualTo("AES/GCM/NoPadding");
    assertThat(sealed.getData().toStringUtf8()).doesNotContain("4111", "userMessage", "json/plain");
    assertThat(codec(KEY_A).decode(List.of(sealed))).containsExactly(plain);
  }

  @Test
  void givenTheSamePayloadTwice_whenEncoded_itShouldUseAFreshNonceEachTime() {
    EncryptionCodec codec = codec(KEY_A);
    Payload plain = json("\"hello\"");

    List<Payload> sealed = codec.encode(List.of(plain, plain));

    assertThat(sealed.get(0).getData()).isNotEqualTo(sealed.get(1).getData());
    assertThat(sealed.get(0).getData().substring(0, 12)).isNotEqualTo(sealed.get(1).getData().substring(0, 12));
  }

  @Test
  void givenAPayloadThatIsNotEncrypted_whenDecoded_itShouldPassUnchanged() {
    Payload recordedBeforeTheCodec = json("{\"turnId\":\"t-1\"}");
    Payload nothing = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/null")).build();

    assertThat(codec(KEY_A).decode(List.of(recordedBeforeTheCodec, nothing)))
        .containsExactly(recordedBeforeTheCodec, nothing);
  }

  @Test
  void givenKeyARotatedToB_whenDecoding_bothShouldDecodeAndNewPayloadsShouldUseB() {
    Payload underA = codec(KEY_A).encode(List.of(json("\"old\""))).get(0);
    EncryptionCodec rotated = codec(KEY_B + "," + KEY_A);

    Payload underB = rotated.encode(List.of(json("\"new\""))).get(0);

    assertThat(underB.getMetadataMap().get("encryption-key-id").toStringUtf8()).isEqualTo("b");
    assertThat(rotated.decode(List.of(underA, underB))).containsExactly(json("\"old\""), json("\"new\""));
  }

  @Test
  void givenOnlyKeyB_whenAPayloadUnderKeyAIsDecoded_itShouldSayWhichKeyIsMissing() {
    Payload underA = codec(KEY_A).encode(List.of(json("\"old\""))).get(0);

    assertThatThrownBy(() -> codec(KEY_B).decode(List.of(underA)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("encrypted with codec key 'a'")
        .hasMessageContaining("holds b")
        .hasMessageContaining("add that key");
  }

  @Test
  void givenAnotherKeyUnderTheSameId_orAnAlteredPayload_whenDecoded_itShouldRefuseIt() {
    Payload underA = codec(KEY_A).encode(List.of(json("\"old\""))).get(0);
    Payload relabelled = underA.toBuilder().putMetadata("encryption-key-id", ByteString.copyFromUtf8("b")).build();
    byte[] data = underA.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload flipped = underA.toBuilder().setData(ByteString.copyFrom(data)).build();

    assertThatThrownBy(() -> codec("a:" + key(9)).decode(List.of(underA))).isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not decrypt");
    assertThatThrownBy(() -> codec(KEY_A + "," + KEY_B).decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class).hasMessageContaining("does not decrypt");
    assertThatThrownBy(() -> codec(KEY_A).decode(List.of(flipped))).isInstanceOf(PayloadCodecException.class);
  }

  @Test
  void givenOneThread_whenEncodingAndDecodingInterleaveAcrossKeysAndFailures_eachPayloadShouldRoundTrip() {
    // The codec reuses one cipher per thread: every use must start from a fresh init.
    EncryptionCodec a = codec(KEY_A);
    EncryptionCodec b = codec(KEY_B + "," + KEY_A);
    Payload underA = a.encode(List.of(json("\"first\""))).get(0);
    byte[] data = underA.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload flipped = underA.toBuilder().setData(ByteString.copyFrom(data)).build();

    for (int i = 0; i < 50; i++) {
      Payload plain = json("\"turn " + i + "\"");
      Payload sealedByB = b.encode(List.of(plain)).get(0);
      assertThatThrownBy(() -> a.decode(List.of(flipped))).isInstanceOf(PayloadCodecException.class);
      assertThat(b.decode(List.of(underA, sealedByB))).containsExactly(json("\"first\""), plain);
      assertThat(a.decode(a.encode(List.of(plain, plain)))).containsExactly(plain, plain);
    }
  }

  @Test
  void givenTheDataConverter_whenAValueAndAFailureRoundTrip_itShouldEncryptBoth() {
    DataConverter converter = CodecConfig.codecDataConverter(codec(KEY_A));

    Optional<io.temporal.api.common.v1.Payloads> payloads = converter.toPayloads("pay 5 EUR to Alice");
    io.temporal.api.failure.v1.Failure failure =
        converter.exceptionToFailure(new IllegalStateException("the model said: pay 5 EUR to Alice"));

    assertThat(payloads.orElseThrow().toString()).doesNotContain("Alice");
    assertThat(failure.toString()).doesNotContain("Alice");
    assertThat(converter.fromPayloads(0, payloads, String.class, String.class)).isEqualTo("pay 5 EUR to Alice");
    assertThat(converter.failureToException(failure).getMessage()).contains("pay 5 EUR to Alice");
  }

  @Test
  void givenNoKeys_whenAnEncryptedPayloadIsRead_theConverterShouldFailNamingTheKey() {
    Payload underA = codec(KEY_A).encode(List.of(json("\"x\""))).get(0);
    DataConverter withoutKeys = CodecConfig.codecDataConverter(new EncryptionCodec(CodecKeys.none()));

    assertThat(withoutKeys.toPayload("written as is").orElseThrow().getData().toStringUtf8()).contains("written as is");
    assertThatThrownBy(() -> withoutKeys.fromPayload(underA, String.class, String.class))
        .isInstanceOfAny(PayloadCodecException.class, DataConverterException.class)
        .hasStackTraceContaining("codec key 'a'").hasStackTraceContaining("no keys");
  }
}
