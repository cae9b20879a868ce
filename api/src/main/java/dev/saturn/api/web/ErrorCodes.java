package dev.saturn.api.web;

import dev.saturn.workflows.common.ErrorCode;

/**
 * For errors that arrive as a bare HTTP status (container errors, Spring's own {@code
 * ErrorResponse}s, {@code ResponseStatusException}) and so must be fitted into the registry.
 */
final class ErrorCodes {

  private ErrorCodes() {}

  /**
   * Unlisted 4xx become VALIDATION_FAILED and unlisted 5xx INTERNAL_ERROR, so the rendered status
   * is always the registry's status for the code.
   */
  static ErrorCode forStatus(int status) {
    return switch (status) {
      case 401 -> ErrorCode.AUTH_INVALID;
      case 403 -> ErrorCode.AUTH_FORBIDDEN;
      case 404 -> ErrorCode.NOT_FOUND;
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
      case 406 -> ErrorCode.NOT_ACCEPTABLE;
      case 409 -> ErrorCode.CONFLICT;
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
      case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
      case 429 -> ErrorCode.RATE_LIMITED;
      case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
      default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED;
    };
  }
}
