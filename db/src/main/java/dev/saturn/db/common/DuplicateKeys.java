package dev.saturn.db.common;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Inserts that must happen at most once rely on a unique key. We detect "already there" by
 * MySQL/MariaDB error 1062 rather than INSERT IGNORE, which would also hide foreign-key and
 * truncation errors.
 */
public final class DuplicateKeys {

  private static final int ER_DUP_ENTRY = 1062;

  private DuplicateKeys() {}

  /** Runs the insert; returns false if it hit a duplicate key, rethrows anything else. */
  public static boolean insertOnce(Supplier<Integer> insert) {
    try {
      return insert.get() == 1;
    } catch (RuntimeException e) {
      if (isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Whether {@code error} (or a cause) is MySQL/MariaDB's duplicate-key error. */
  public static boolean isDuplicateKey(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getErrorCode() == ER_DUP_ENTRY) {
        return true;
      }
    }
    return false;
  }
}
