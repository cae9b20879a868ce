package dev.saturn.db.common;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque list cursors: base64url of the sort key of the last row returned. */
public final class Cursors {

  private Cursors() {}

  public static String encode(String sortKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sortKey.getBytes(StandardCharsets.UTF_8));
  }

  /** @throws InvalidCursorException when the cursor was not made by {@link #encode}. */
  public static String decode(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException();
    }
  }

  public static final class InvalidCursorException extends IllegalArgumentException {
    public InvalidCursorException() {
      super("invalid cursor");
    }
  }
}
