package dev.saturn.activities.tools;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * What an executor needs to know about the call besides the tool and the arguments.
 *
 * @param idempotencyKey the same on every attempt of this call, different for every call: an
 *     executor passes it on to the tool where the protocol has a place for it
 * @param attempt the activity attempt, from 1
 * @param timeout the whole call's deadline (connect, answer and reading it)
 * @param maxResponseBytes the largest answer the call may return; a larger one fails the call
 */
public record ToolCallContext(
    String turnId, String callId, String idempotencyKey, int attempt, Duration timeout, int maxResponseBytes) {

  /** Derived from the workflow and the call: the same on every attempt, different for every call. */
  public static String idempotencyKey(String workflowId, String callId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((workflowId + "|" + callId).getBytes(StandardCharsets.UTF_8));
      return "saturn-" + HexFormat.of().formatHex(digest, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
