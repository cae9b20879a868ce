package dev.saturn.db.common;

import java.util.List;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Select;

/**
 * A select on a hot path whose SQL text jOOQ renders once instead of on every execution: built
 * with {@link org.jooq.impl.DSL#val} placeholders for its bind values, rendered for the context's
 * dialect on first use (again if a context of another dialect asks), then executed as that text
 * with the call's values, read into the select's own fields ({@link ResultQuery#coerce}), so a row
 * reads exactly as from the built query. For statements whose shape never changes, only their
 * values: rendering a query with subqueries costs more CPU than MariaDB needs to run it. Writes:
 * {@link RenderedStatement}.
 */
public final class RenderedSelect {

  private final RenderedSql<Select<?>, List<Field<?>>> sql;

  /** @param build the select, its bind values in the order the call passes them (placeholders' values are ignored) */
  public RenderedSelect(Function<DSLContext, Select<?>> build) {
    this.sql = new RenderedSql<>(build, select -> List.copyOf(select.getSelect()));
  }

  /** The select with these bind values, in the order its placeholders appear in the SQL text. */
  public ResultQuery<Record> with(DSLContext db, Object... values) {
    RenderedSql.Text<List<Field<?>>> text = sql.text(db);
    return db.resultQuery(text.sql(), text.bind(values)).coerce(text.extra());
  }
}
