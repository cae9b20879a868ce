package dev.saturn.app.bench;

import java.util.concurrent.atomic.LongAdder;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * Counts the SQL statements the application runs through jOOQ, so the report can say how many
 * database round trips a turn costs in each mode (the workflow should add none). A LongAdder
 * increment per statement: nothing a benchmark can see.
 */
final class SqlStatementCounter implements ExecuteListener {

  private final LongAdder statements = new LongAdder();

  @Override
  public void executeStart(ExecuteContext ctx) {
    statements.increment();
  }

  long count() {
    return statements.sum();
  }
}
