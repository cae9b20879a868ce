package dev.saturn.api.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.api.identity.Caller;
import dev.saturn.db.common.CompanyId;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What {@link McpController} reads of a JSON-RPC message, and the turn key {@link McpCall} derives from it. */
class McpMessagesTest {

  static McpController.Envelope read(String body) {
    return McpController.Envelope.read(body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void givenRequestsNotificationsAndInitialize_whenRead_itShouldKeepTheIdWithItsType() {
    McpController.Envelope call = read("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{}}");
    McpController.Envelope named = read("{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"method\":\"tools/call\"}");
    McpController.Envelope big = read("{\"jsonrpc\":\"2.0\",\"id\":123456789012345678901234567890,\"method\":\"ping\"}");
    McpController.Envelope initialize = read("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{}}");
    McpController.Envelope notification = read("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

    assertThat(call.error()).isNull();
    assertThat(call.requestId()).isEqualTo("n:7");
    assertThat(named.requestId()).isEqualTo("s:7");
    assertThat(big.requestId()).isEqualTo("n:123456789012345678901234567890");
    assertThat(call.initialize()).isFalse();
    assertThat(initialize.initialize()).isTrue();
    assertThat(notification.error()).isNull();
    assertThat(notification.requestId()).isNull();
  }

  @Test
  void givenWhatIsNotOneJsonRpcMessage_whenRead_itShouldSayWhyWithTheJsonRpcCode() {
    assertThat(read("{\"jsonrpc\": ").errorCode()).isEqualTo(McpController.PARSE_ERROR);
    assertThat(read("").errorCode()).isEqualTo(McpController.PARSE_ERROR);
    assertThat(read("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]").error()).contains("batches");
    for (String invalid : new String[] {
        "42", "\"x\"", "null", "{}", "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[1]}",
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1}}"}) {
      McpController.Envelope envelope = read(invalid);
      assertThat(envelope.error()).as(invalid).isNotNull();
      assertThat(envelope.errorCode()).as(invalid).isIn(McpController.PARSE_ERROR, McpController.INVALID_REQUEST);
    }
  }

  @Test
  void givenSessionsAndRequestIds_whenKeyed_itShouldGiveOneKeyPerRequestOfASessionAndNoneWithoutBoth() {
    Caller caller = Caller.key(CompanyId.of("c-1"), "k-1", null, Set.of());
    String key = new McpCall(caller, "session-a", "n:1").idempotencyKey();

    assertThat(key).matches("[0-9a-f]{64}");
    assertThat(new McpCall(caller, "session-a", "n:1").idempotencyKey()).isEqualTo(key);
    assertThat(new McpCall(caller, "session-a", "s:1").idempotencyKey()).isNotEqualTo(key);
    assertThat(new McpCall(caller, "session-a", "n:2").idempotencyKey()).isNotEqualTo(key);
    assertThat(new McpCall(caller, "session-b", "n:1").idempotencyKey()).isNotEqualTo(key);
    assertThat(new McpCall(caller, null, "n:1").idempotencyKey()).isNull();
    assertThat(new McpCall(caller, "session-a", null).idempotencyKey()).isNull();
  }
}
