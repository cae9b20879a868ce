package dev.saturn.db.common;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The SQL text of a statement whose shape never changes, rendered by jOOQ on first use per dialect
 * and kept ({@link RenderedSelect}, {@link RenderedStatement}). The cache holds the text of the
 * last dialect it was asked for: a context of another dialect renders (and keeps) its own text, so
 * a statement is never run in the wrong dialect.
 *
 * @param <Q> the built statement, whose shape (not its values) the text is
 * @param <T> what is kept of it besides the text
 */
final class RenderedSql<Q extends Query, T> {

  /**
   * What a rendering keeps: the dialect it is for, the text, its number of bind values, the data
   * type of each (so a null binds as the built statement's would; null when the statement's
   * parameters could not be listed in order: named and repeated ones), and {@code extra}.
   */
  record Text<T>(SQLDialect dialect, String sql, int binds, List<DataType<?>> types, T extra) {

    /** The call's values as the statement's bind values. */
    Object[] bind(Object[] values) {
      if (values.length != binds) {
        throw new IllegalArgumentException("the statement takes " + binds + " values, not " + values.length);
      }
      if (types == null) {
        return values;
      }
      Object[] params = new Object[values.length];
      for (int i = 0; i < values.length; i++) {
        params[i] = DSL.val(values[i], types.get(i));
      }
      return params;
    }
  }

  private final Function<DSLContext, ? extends Q> build;
  private final Function<? super Q, T> extra;
  private volatile Text<T> text;

  RenderedSql(Function<DSLContext, ? extends Q> build, Function<? super Q, T> extra) {
    this.build = Objects.requireNonNull(build, "build");
    this.extra = extra;
  }

  /** The text for the context's dialect. */
  Text<T> text(DSLContext db) {
    Text<T> current = text;
    SQLDialect dialect = db.dialect();
    if (current == null || current.dialect() != dialect) {
      Q query = build.apply(db);
      int binds = db.extractBindValues(query).size();
      text = current = new Text<>(dialect, db.render(query), binds, bindTypes(query, binds), extra.apply(query));
    }
    return current;
  }

  /**
   * The data type of each bind value in the order of the text, or null when they cannot be listed
   * so: {@link Query#getParams} also holds inline values (rendered into the text, not bound) and
   * one entry per name for named parameters, which may stand in several places.
   */
  static List<DataType<?>> bindTypes(Query query, int binds) {
    List<Param<?>> bound = query.getParams().values().stream().filter(param -> !param.isInline()).toList();
    boolean positional = bound.size() == binds && bound.stream().allMatch(param -> param.getParamName() == null);
    return positional ? bound.stream().<DataType<?>>map(Param::getDataType).toList() : null;
  }
}
