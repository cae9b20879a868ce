package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;

/**
 * Thrown by code that caps a body while streaming it (chat messages, KB uploads). It is unchecked
 * so it survives being thrown from inside a JSON parser's read, and the advice finds it in a cause
 * chain as well as at the top.
 */
public class PayloadTooLargeException extends ApiException {

  private final long limitBytes;

  public PayloadTooLargeException(long limitBytes) {
    super(
        ErrorCode.PAYLOAD_TOO_LARGE, "Request body exceeds the limit of " + limitBytes + " bytes");
    this.limitBytes = limitBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
