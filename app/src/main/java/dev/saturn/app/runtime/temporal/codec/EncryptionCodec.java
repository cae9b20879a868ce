package dev.saturn.app.runtime.temporal.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload with AES-256-GCM, as Temporal's encryption samples do: the whole payload
 * (metadata and data) is sealed under a random 12-byte nonce and travels as the data of a new
 * payload whose metadata says {@code encoding: binary/encrypted} and names the key
 * ({@code encryption-key-id}); the key id is also the GCM associated data, so a payload relabelled
 * with another id does not decrypt. Decoding leaves payloads of any other encoding as they are:
 * histories recorded before encryption was switched on still read.
 */
public final class EncryptionCodec implements PayloadCodec {

  public static final String ENCODING = "binary/encrypted";
  public static final String METADATA_ENCODING = "encoding";
  public static final String METADATA_KEY_ID = "encryption-key-id";
  public static final String METADATA_CIPHER = "encryption-cipher";
  static final String CIPHER = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);

  private final CodecKeys keys;
  private final SecureRandom random = new SecureRandom();
  /**
   * One cipher per thread, initialised afresh (key, nonce) for every payload: looking the
   * algorithm up in the JCA providers on every payload cost more than the encryption of a turn's
   * small payloads itself.
   */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(EncryptionCodec::newCipher);

  public EncryptionCodec(CodecKeys keys) {
    this.keys = keys;
    warmUp();
  }

  /**
   * Loads the cipher's provider and seeds the random generator now: done cold inside the first
   * workflow task (or the replay command's only one) it can take longer than the SDK's 1 s
   * deadlock detector allows.
   */
  private void warmUp() {
    if (keys.active().isPresent()) {
      decode(encode(List.of(Payload.getDefaultInstance())));
      return;
    }
    CIPHERS.get();
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance(CIPHER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no " + CIPHER, e);
    }
  }

  public CodecKeys keys() {
    return keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    CodecKeys.Key key = keys.active().orElse(null);
    if (key == null) {
      return payloads; // only the replay command runs without keys, and it stores nothing
    }
    return payloads.stream().map(payload -> encrypt(payload, key)).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload, CodecKeys.Key key) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(key.id().getBytes(StandardCharsets.UTF_8));
      sealed = cipher.doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot encrypt a payload with codec key '" + key.id() + "'", e);
    }
    return Payload.newBuilder()
        .putMetadata(METADATA_ENCODING, ENCODING_BYTES)
        .putMetadata(METADATA_KEY_ID, ByteString.copyFromUtf8(key.id()))
        .putMetadata(METADATA_CIPHER, ByteString.copyFromUtf8(CIPHER))
        .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
        .build();
  }

  private Payload decrypt(Payload payload) {
    if (!ENCODING_BYTES.equals(payload.getMetadataOrDefault(METADATA_ENCODING, ByteString.EMPTY))) {
      return payload;
    }
    String keyId = payload.getMetadataOrDefault(METADATA_KEY_ID, ByteString.EMPTY).toStringUtf8();
    CodecKeys.Key key = keys.find(keyId).orElseThrow(() -> new PayloadCodecException(
        "a payload is encrypted with codec key '" + keyId + "', which this process does not have ("
            + CodecKeys.SETTING + " holds " + (keys.isEmpty() ? "no keys" : String.join(", ", keys.ids()))
            + "); add that key to decrypt it"));
    byte[] data = payload.getData().toByteArray();
    if (data.length <= NONCE_BYTES) {
      throw new PayloadCodecException("an encrypted payload (key '" + keyId + "') is too short to hold a nonce and a tag");
    }
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return Payload.parseFrom(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("a payload encrypted with codec key '" + keyId + "' does not decrypt with the"
          + " key configured under that id (another key with the same id, or the payload was altered)");
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          "a payload encrypted with codec key '" + keyId + "' decrypts to something that is not a payload", e);
    }
  }
}
