package dev.saturn.api.chat;

import dev.saturn.workflows.common.ErrorCode;

/**
 * What a client may read of a failed turn. A client error (4xx code) keeps its message, which is
 * about the client's own request; a server-side failure shows only its code's title, because its
 * message can name the operator's model endpoint or carry SQL text.
 */
public final class TurnErrors {

  private TurnErrors() {}

  public static String publicMessage(String code, String message) {
    ErrorCode errorCode = ErrorCode.fromType(code);
    return errorCode.httpStatus() >= 500 || message == null ? errorCode.title() : message;
  }
}
