package dev.saturn.db.common;

import java.util.List;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.RecordMapper;
import org.jooq.SelectWhereStep;
import org.jooq.Table;

/**
 * Keyset pages of a table in id order, the cursor being the last id of the previous page: the
 * operator's catalogues of companies and plans, whose rows are never deleted.
 */
public final class IdPages {

  private IdPages() {}

  /** @throws Cursors.InvalidCursorException when the cursor is not the id of a row of {@code table} */
  public static <R extends Record, T> Page<T> page(
      DSLContext db, Table<R> table, Field<String> id, String cursor, int limit, RecordMapper<? super R, T> mapper,
      Function<T, String> idOf) {
    SelectWhereStep<R> from = db.selectFrom(table);
    String after = cursor == null ? null : Cursors.decode(cursor);
    if (after != null && !db.fetchExists(table, id.eq(after))) {
      throw new Cursors.InvalidCursorException();
    }
    List<T> rows = (after == null ? from.orderBy(id) : from.where(id.gt(after)).orderBy(id))
        .limit(limit + 1)
        .fetch(mapper);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    return new Page<>(rows.subList(0, limit), Cursors.encode(idOf.apply(rows.get(limit - 1))));
  }
}
