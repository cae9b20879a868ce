package dev.saturn.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;

/**
 * Counts the SQL statements the application runs through jOOQ, so the report can say how many
 * database round trips a turn costs in each mode (the workflow should add none). A LongAdder
 * increment per statement: nothing a benchmark can see. {@link #statementsOf} also lists the
 * statements one piece of code runs on its own thread (what {@code PlainTurnSqlTest} asserts on).
 */
final class SqlStatementCounter implements ExecuteListener {

  private final LongAdder statements = new LongAdder();
  private final ThreadLocal<List<String>> recording = new ThreadLocal<>();

  @Override
  public void executeStart(ExecuteContext ctx) {
    statements.increment();
    List<String> recorded = recording.get();
    if (recorded != null) {
      recorded.add(ctx.sql());
    }
  }

  long count() {
    return statements.sum();
  }

  /** The statements {@code body} runs on this thread (other threads' statements are not listed). */
  List<String> statementsOf(Runnable body) {
    List<String> recorded = new ArrayList<>();
    recording.set(recorded);
    try {
      body.run();
    } finally {
      recording.remove();
    }
    return recorded;
  }
}
