package dev.saturn.db.common;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Calendar;
import java.util.Locale;
import java.util.TimeZone;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.Converters;
import org.jooq.conf.ParamType;
import org.jooq.impl.DSL;

/**
 * How every {@code DATETIME(6)} column (UTC wall time, see {@link Times}) crosses JDBC: written as
 * the {@link LocalDateTime} it is (JDBC 4.2), read through a UTC calendar, inlined as its own literal.
 *
 * <p>jOOQ's default goes through {@link java.sql.Timestamp}, which reads the wall time in the JVM's
 * own time zone: a UTC time that falls in that zone's spring-forward gap (02:30 on the last Sunday of
 * March in Berlin) came back an hour later, and the driver formatted every value with a new
 * {@code SimpleDateFormat} and {@code Calendar}, ~5 % of a chat turn's JVM CPU (docs/benchmarks.md).
 * Wired to the columns by the jOOQ code generator ({@code forcedTypes} in db/pom.xml).
 */
public final class UtcDateTimeBinding implements Binding<LocalDateTime, LocalDateTime> {

  /** {@code 2026-03-29 02:30:00.123456}: the fraction as long as the value needs, as MariaDB and MySQL read it. */
  private static final DateTimeFormatter LITERAL = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
      .toFormatter(Locale.ROOT);
  /** Per thread: a driver may ask the calendar for its zone, which a shared one would answer racily. */
  private static final ThreadLocal<Calendar> UTC =
      ThreadLocal.withInitial(() -> Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC), Locale.ROOT));
  private static final Converter<LocalDateTime, LocalDateTime> IDENTITY = Converters.identity(LocalDateTime.class);

  @Override
  public Converter<LocalDateTime, LocalDateTime> converter() {
    return IDENTITY;
  }

  /**
   * A placeholder, or the wall time as a literal where the statement is rendered with inline values
   * (jOOQ's own literal goes through {@code Timestamp} and the JVM's zone as well).
   */
  @Override
  public void sql(BindingSQLContext<LocalDateTime> ctx) throws SQLException {
    if (ctx.render().paramType() != ParamType.INLINED) {
      ctx.render().sql(ctx.variable());
    } else if (ctx.value() == null) {
      ctx.render().visit(DSL.keyword("null"));
    } else {
      ctx.render().visit(DSL.keyword("timestamp")).sql(" '").sql(LITERAL.format(ctx.value())).sql('\'');
    }
  }

  @Override
  public void register(BindingRegisterContext<LocalDateTime> ctx) throws SQLException {
    ctx.statement().registerOutParameter(ctx.index(), Types.TIMESTAMP);
  }

  @Override
  public void set(BindingSetStatementContext<LocalDateTime> ctx) throws SQLException {
    if (ctx.value() == null) {
      ctx.statement().setNull(ctx.index(), Types.TIMESTAMP);
    } else {
      ctx.statement().setObject(ctx.index(), ctx.value());
    }
  }

  /**
   * Read in UTC: MariaDB's driver turns a {@code LocalDateTime} (and a DATETIME's text) into a
   * {@code ZonedDateTime} in the JVM's zone first, which moves a time in that zone's gap; a UTC
   * calendar has no gap, so the instant it gives is the stored wall time read as UTC.
   */
  @Override
  public void get(BindingGetResultSetContext<LocalDateTime> ctx) throws SQLException {
    ctx.value(wallTime(ctx.resultSet().getTimestamp(ctx.index(), UTC.get())));
  }

  @Override
  public void get(BindingGetStatementContext<LocalDateTime> ctx) throws SQLException {
    ctx.value(wallTime(ctx.statement().getTimestamp(ctx.index(), UTC.get())));
  }

  private static LocalDateTime wallTime(Timestamp utc) {
    return utc == null ? null : LocalDateTime.ofInstant(utc.toInstant(), ZoneOffset.UTC);
  }

  @Override
  public void set(BindingSetSQLOutputContext<LocalDateTime> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException("no user-defined types");
  }

  @Override
  public void get(BindingGetSQLInputContext<LocalDateTime> ctx) throws SQLException {
    throw new SQLFeatureNotSupportedException("no user-defined types");
  }
}
