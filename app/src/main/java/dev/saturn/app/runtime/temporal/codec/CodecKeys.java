package dev.saturn.app.runtime.temporal.codec;

import dev.saturn.api.codec.CodecProperties;
import dev.saturn.api.identity.SecretFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;

/**
 * The payload codec's keys, in the order configured: the first encrypts, every one decrypts, so a
 * new key can be rolled out before it becomes the active one and an old key can stay until no
 * history needs it. Written as {@code id:base64key}, separated by commas or whitespace; an id goes
 * into every encrypted payload's metadata, a key is the base64 of 32 bytes (AES-256).
 */
public final class CodecKeys {

  /** Where the embedded default keeps its generated key, under the data dir. */
  public static final String FILE_NAME = "codec-keys";
  static final String SETTING = "saturn.temporal.codec.keys (env SATURN_CODEC_KEYS)";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int KEY_BYTES = 32;

  /** One key; {@link #toString} never shows the secret. */
  record Key(String id, SecretKeySpec secret) {
    @Override
    public String toString() {
      return "Key[" + id + "]";
    }
  }

  private final List<Key> keys;

  private CodecKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /** No key at all: encodes nothing, decodes only unencrypted payloads (the replay command without keys). */
  public static CodecKeys none() {
    return new CodecKeys(List.of());
  }

  /**
   * @param source where the text came from, named in errors (never the text itself)
   * @throws IllegalArgumentException for an entry that is not {@code id:base64-of-32-bytes}, or an id used twice
   */
  public static CodecKeys parse(String text, String source) {
    List<Key> keys = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    int position = 0;
    for (String entry : text.trim().split("[,\\s]+")) {
      if (entry.isEmpty()) {
        continue;
      }
      position++;
      int colon = entry.indexOf(':');
      String id = colon < 0 ? "" : entry.substring(0, colon);
      if (!ID.matcher(id).matches()) {
        throw new IllegalArgumentException(source + ": entry " + position + " must be id:base64key with an id of"
            + " 1-64 letters, digits, '.', '_' or '-'");
      }
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(entry.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": the key of '" + id + "' is not base64");
      }
      if (secret.length != KEY_BYTES) {
        throw new IllegalArgumentException(source + ": the key of '" + id + "' must be 32 bytes (AES-256), not "
            + secret.length + "; make one with: openssl rand -base64 32");
      }
      if (!ids.add(id)) {
        throw new IllegalArgumentException(source + ": the id '" + id + "' is used twice");
      }
      keys.add(new Key(id, new SecretKeySpec(secret, "AES")));
    }
    return new CodecKeys(keys);
  }

  /**
   * The configured keys; without any, those in {@code <data-dir>/codec-keys}, generated into it
   * first when {@code mayGenerate}. Empty when there are none and none may be generated.
   */
  public static CodecKeys load(CodecProperties properties, Path dataDir, boolean mayGenerate) {
    if (properties.hasKeys()) {
      return parse(properties.keys(), SETTING);
    }
    Path file = dataDir.resolve(FILE_NAME);
    if (!mayGenerate && !Files.exists(file)) {
      return none();
    }
    return parse(SecretFiles.readOrGenerate(file, CodecKeys::generate, SETTING), file.toString());
  }

  /** A new entry: a random id {@code local-<8 hex>} and a random key. */
  static String generate() {
    return "local-" + HexFormat.of().formatHex(SecretFiles.randomBytes(4)) + ":"
        + Base64.getEncoder().encodeToString(SecretFiles.randomBytes(KEY_BYTES));
  }

  /** The key new payloads are encrypted with; empty when there are no keys. */
  Optional<Key> active() {
    return keys.stream().findFirst();
  }

  Optional<Key> find(String id) {
    return keys.stream().filter(key -> key.id().equals(id)).findFirst();
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The ids, active first: what logs and error messages may show. */
  public List<String> ids() {
    return keys.stream().map(Key::id).toList();
  }

  @Override
  public String toString() {
    return "CodecKeys" + ids();
  }
}
