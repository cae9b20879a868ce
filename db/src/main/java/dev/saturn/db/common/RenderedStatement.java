package dev.saturn.db.common;

import java.util.List;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/**
 * An insert or update on a hot path whose SQL text jOOQ renders once, as {@link RenderedSelect}
 * does for selects: built with {@link DSL#val} placeholders, rendered per dialect on first use,
 * then run as that text with the call's values in the order they appear in it. A value may be
 * null only where the built statement's placeholder could be; pass {@code DSL.val(null, type)}
 * for a typed null. A tenant table's statement still binds its company id (every caller passes
 * it, the text has a {@code company_id} column or predicate).
 */
public final class RenderedStatement {

  private final RenderedSql<Query, List<Field<?>>> sql;

  /**
   * @param build the statement, its bind values in the order the call passes them; for an insert
   *     {@code ... returning}, the returned columns are read into {@code returning}'s fields
   */
  public RenderedStatement(Function<DSLContext, ? extends Query> build, Field<?>... returning) {
    List<Field<?>> fields = List.of(returning);
    this.sql = new RenderedSql<>(build, query -> fields);
  }

  /** Runs the statement with these values; the number of rows it changed. */
  public int execute(DSLContext db, Object... values) {
    RenderedSql.Text<List<Field<?>>> text = sql.text(db);
    return db.execute(text.sql(), text.bind(values));
  }

  /** An insert {@code ... returning} with these values: the rows it returned, in the constructor's fields. */
  public ResultQuery<Record> returning(DSLContext db, Object... values) {
    RenderedSql.Text<List<Field<?>>> text = sql.text(db);
    return db.resultQuery(text.sql(), text.bind(values)).coerce(text.extra());
  }
}
