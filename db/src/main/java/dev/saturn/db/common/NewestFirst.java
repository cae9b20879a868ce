package dev.saturn.db.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.Field;

/**
 * Keyset paging of a list shown newest first, ordered by {@code (created_at desc, id desc)}: the
 * cursor is the (created_at, id) of the last row of the previous page.
 */
public final class NewestFirst {

  private NewestFirst() {}

  /** The rows after {@code cursor} (none: every row). @throws Cursors.InvalidCursorException for a cursor not made here */
  public static Condition after(String cursor, Field<LocalDateTime> createdAt, Field<String> id) {
    if (cursor == null) {
      return org.jooq.impl.DSL.noCondition();
    }
    String[] key = Cursors.decode(cursor).split("\\|", 2);
    if (key.length != 2) {
      throw new Cursors.InvalidCursorException();
    }
    LocalDateTime at;
    try {
      at = LocalDateTime.parse(key[0]);
    } catch (DateTimeParseException e) {
      throw new Cursors.InvalidCursorException();
    }
    return createdAt.lt(at).or(createdAt.eq(at).and(id.lt(key[1])));
  }

  /** The page of {@code rows} (fetched with a limit of {@code limit + 1}) and the cursor of the next one. */
  public static <T> Page<T> page(List<T> rows, int limit, Function<T, Instant> createdAt, Function<T, String> id) {
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    T last = rows.get(limit - 1);
    return new Page<>(List.copyOf(rows.subList(0, limit)),
        Cursors.encode(Times.toDb(createdAt.apply(last)) + "|" + id.apply(last)));
  }
}
