package dev.saturn.api.codec;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The payload codec that encrypts workflow payloads in Temporal's history, and its HTTP endpoint
 * for the Temporal UI and CLI.
 *
 * @param keys {@code id:base64key,...} (env {@code SATURN_CODEC_KEYS}); the first encrypts, every
 *     one decrypts. Empty: a key generated into {@code <data-dir>/codec-keys} when this process
 *     runs the Temporal server itself, else the start fails (an external server's history outlives
 *     any one process's data dir)
 * @param corsOrigins origins (e.g. the Temporal UI's {@code https://temporal.example.com}) whose
 *     pages may call {@code /v1/codec/*} from the browser; empty: none
 */
@ConfigurationProperties("saturn.temporal.codec")
public record CodecProperties(String keys, @DefaultValue List<String> corsOrigins) {

  public CodecProperties {
    keys = keys == null ? "" : keys.trim();
    corsOrigins = corsOrigins == null
        ? List.of()
        : corsOrigins.stream().map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    if (corsOrigins.contains("*")) {
      // The UI may send credentials, and browsers refuse them from an endpoint that allows any origin.
      throw new IllegalArgumentException(
          "saturn.temporal.codec.cors-origins must list origins (https://temporal.example.com), not *");
    }
  }

  public boolean hasKeys() {
    return !keys.isEmpty();
  }

  /** Never the keys themselves. */
  @Override
  public String toString() {
    return "CodecProperties[keys=" + (hasKeys() ? "(set)" : "(empty)") + ", corsOrigins=" + corsOrigins + "]";
  }
}
