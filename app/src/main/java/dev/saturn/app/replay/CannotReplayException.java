package dev.saturn.app.replay;

/** The history could not be fetched, read or matched to SATURN's code: exit 2, nothing was replayed. */
final class CannotReplayException extends RuntimeException {

  CannotReplayException(String message) {
    super(message);
  }

  CannotReplayException(String message, Throwable cause) {
    super(message, cause);
  }
}
