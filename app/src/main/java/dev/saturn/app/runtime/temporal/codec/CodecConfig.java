package dev.saturn.app.runtime.temporal.codec;

import dev.saturn.api.codec.CodecProperties;
import dev.saturn.app.runtime.SaturnProperties;
import dev.saturn.app.runtime.StartupException;
import dev.saturn.app.runtime.temporal.TemporalMode;
import dev.saturn.app.runtime.temporal.TemporalServer;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Encrypted workflow history: the Temporal starter picks up {@link #mainDataConverter} for the
 * client, the workers and the schedule client, so every payload SATURN hands to Temporal (workflow
 * and activity inputs and results, update and query arguments, failure messages) is encrypted
 * before it leaves the process. The codec endpoint ({@code /v1/codec/*}) uses the same codec.
 */
@Configuration(proxyBeanMethods = false)
public class CodecConfig {

  private static final Logger log = LoggerFactory.getLogger(CodecConfig.class);

  /**
   * The keys: configured, or generated into the data dir when this process runs the Temporal
   * server (its history lives in the same data dir). An external server's history outlives any one
   * process's data dir and is read by every api and worker process, so there the keys must be set.
   */
  @Bean
  public CodecKeys codecKeys(CodecProperties codec, SaturnProperties saturn, TemporalServer temporalServer) {
    boolean ownServer = temporalServer.mode() != TemporalMode.EXTERNAL;
    CodecKeys keys;
    try {
      keys = CodecKeys.load(codec, saturn.dataDir(), ownServer);
    } catch (IllegalArgumentException e) {
      throw new StartupException("The payload codec keys are invalid: " + e.getMessage() + ".",
          "Fix " + CodecKeys.SETTING + ": id:base64key entries separated by commas, the first one encrypts"
              + " (docs/operations.md, \"Payload codec\").");
    }
    if (keys.isEmpty()) {
      throw new StartupException(
          "With an external Temporal server (saturn.temporal.mode=external) the payload codec needs keys that every"
              + " api and worker process shares, and " + CodecKeys.SETTING + " is empty.",
          "Set SATURN_CODEC_KEYS to the same value everywhere, e.g. \"k1:$(openssl rand -base64 32)\""
              + " (docs/operations.md, \"Payload codec\").");
    }
    log.info("payload codec: AES-256-GCM, encrypting with key '{}', {} key(s) that decrypt: {}",
        keys.ids().get(0), keys.ids().size(), keys.ids());
    return keys;
  }

  @Bean
  public PayloadCodec saturnPayloadCodec(CodecKeys codecKeys) {
    return new EncryptionCodec(codecKeys);
  }

  /**
   * Named so the starter takes it even if another {@code DataConverter} bean appears; failure
   * messages and stack traces are encoded too (they can quote a model's or a tool's words).
   */
  @Bean
  public DataConverter mainDataConverter(@Qualifier("saturnPayloadCodec") PayloadCodec saturnPayloadCodec) {
    return codecDataConverter(saturnPayloadCodec);
  }

  /** The data converter of every SATURN client: also what the replay command builds its client with. */
  public static DataConverter codecDataConverter(PayloadCodec codec) {
    return new CodecDataConverter(GlobalDataConverter.get(), List.of(codec), true);
  }
}
