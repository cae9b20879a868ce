package dev.saturn.api.codec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.google.protobuf.ByteString;
import dev.saturn.api.ApiController;
import dev.saturn.api.identity.Requires;
import dev.saturn.api.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Temporal's codec server protocol, for the Temporal UI and CLI: {@code POST .../decode} and
 * {@code .../encode} take and return {@code {"payloads": [{"metadata": {...}, "data": ...}]}}
 * (bytes in base64, as in Temporal's JSON) and run every payload through the codec that SATURN's
 * workers use, so an operator sees the history in clear text while Temporal stores it encrypted.
 * Operator token only: it turns any history's payloads into plain text. Browsers reach it from
 * the UI's origin through the CORS rules of {@code saturn.temporal.codec.cors-origins}.
 */
@ApiController
@RequestMapping(CodecController.PATH)
class CodecController {

  static final String PATH = "/v1/codec";
  static final int MAX_PAYLOADS = 1000;

  private static final Logger log = LoggerFactory.getLogger(CodecController.class);

  private final PayloadCodec codec;

  CodecController(@Qualifier("saturnPayloadCodec") PayloadCodec codec) {
    this.codec = codec;
  }

  /** One payload as Temporal writes it in JSON: metadata values and data in base64. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record CodecPayload(Map<String, String> metadata, String data) {}

  record CodecPayloads(@NotNull @Size(max = MAX_PAYLOADS) List<CodecPayload> payloads) {}

  @PostMapping("/decode")
  @Operation(summary = "Decode (decrypt) workflow payloads for the Temporal UI or CLI (codec server protocol)")
  @Requires.Operator
  public CodecPayloads decode(
      @Valid @RequestBody CodecPayloads body,
      @Parameter(description = "the Temporal namespace the payloads come from; every namespace shares the keys")
          @RequestHeader(name = "X-Namespace", required = false) String namespace) {
    return convert(body, codec::decode, "decode");
  }

  @PostMapping("/encode")
  @Operation(summary = "Encode (encrypt) payloads for the Temporal UI or CLI, e.g. a workflow input typed there")
  @Requires.Operator
  public CodecPayloads encode(
      @Valid @RequestBody CodecPayloads body,
      @Parameter(description = "the Temporal namespace the payloads go to; every namespace shares the keys")
          @RequestHeader(name = "X-Namespace", required = false) String namespace) {
    return convert(body, codec::encode, "encode");
  }

  private static CodecPayloads convert(CodecPayloads body, UnaryOperator<List<Payload>> codec, String what) {
    List<Payload> converted;
    try {
      converted = codec.apply(toProto(body.payloads()));
    } catch (PayloadCodecException e) {
      log.warn("codec endpoint cannot {}: {}", what, e.getMessage());
      throw ApiException.validation("Cannot " + what + " the payloads: " + e.getMessage());
    }
    return new CodecPayloads(converted.stream().map(CodecController::toJson).toList());
  }

  private static List<Payload> toProto(List<CodecPayload> payloads) {
    List<Payload> proto = new ArrayList<>(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      CodecPayload payload = payloads.get(i);
      if (payload == null) {
        throw ApiException.invalidField("payloads[" + i + "]", "must be a payload object");
      }
      Payload.Builder builder = Payload.newBuilder().setData(bytes(payload.data(), "payloads[" + i + "].data"));
      if (payload.metadata() != null) {
        for (Map.Entry<String, String> entry : payload.metadata().entrySet()) {
          builder.putMetadata(entry.getKey(), bytes(entry.getValue(), "payloads[" + i + "].metadata." + entry.getKey()));
        }
      }
      proto.add(builder.build());
    }
    return proto;
  }

  private static ByteString bytes(String base64, String field) {
    if (base64 == null) {
      return ByteString.EMPTY;
    }
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field, "must be base64");
    }
  }

  private static CodecPayload toJson(Payload payload) {
    Map<String, String> metadata = new LinkedHashMap<>();
    payload.getMetadataMap().forEach((key, value) -> metadata.put(key, base64(value)));
    return new CodecPayload(metadata, base64(payload.getData()));
  }

  private static String base64(ByteString bytes) {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
