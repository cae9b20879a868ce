package dev.saturn.app.replay;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.saturn.app.runtime.temporal.codec.EncryptionCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Which codec keys a history's payloads are encrypted with, read from their metadata. */
final class EncryptedPayloads {

  private static final ByteString ENCRYPTED = ByteString.copyFromUtf8(EncryptionCodec.ENCODING);

  private EncryptedPayloads() {}

  static Set<String> keyIds(WorkflowExecutionHistory history) {
    Set<String> ids = new TreeSet<>();
    for (HistoryEvent event : history.getEvents()) {
      collect(event, ids);
    }
    return ids;
  }

  /** Every payload anywhere in the message: inputs, results, failures' details, headers. */
  private static void collect(Message message, Set<String> ids) {
    if (message instanceof Payload payload) {
      if (ENCRYPTED.equals(payload.getMetadataOrDefault(EncryptionCodec.METADATA_ENCODING, ByteString.EMPTY))) {
        ids.add(payload.getMetadataOrDefault(EncryptionCodec.METADATA_KEY_ID, ByteString.EMPTY).toStringUtf8());
      }
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (field.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (field.getKey().isRepeated()) {
        for (Object item : (List<?>) field.getValue()) {
          collect((Message) item, ids);
        }
      } else {
        collect((Message) field.getValue(), ids);
      }
    }
  }
}
