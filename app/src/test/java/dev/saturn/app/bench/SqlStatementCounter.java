package dev.saturn.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts the SQL statements the application runs through jOOQ, so the report can say how many
 * database round trips a turn costs in each mode (the workflow should add none), and the
 * <em>writing commits</em>: transactions that wrote at least one statement, plus every write run
 * outside a transaction (autocommit). Each writing commit is one fsync of InnoDB's redo log with
 * {@code innodb_flush_log_at_trx_commit=1}, the dominant cost of a turn on a slow disk; read-only
 * transactions write no redo and are not counted. A LongAdder increment per statement: nothing a
 * benchmark can see. {@link #statementsOf} also lists the statements one piece of code runs on
 * its own thread (what {@code PlainTurnSqlTest} asserts on), with a {@value #COMMIT} line where a
 * writing commit happened.
 */
final class SqlStatementCounter implements ExecuteListener {

  static final String COMMIT = "-- commit";

  private final LongAdder statements = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private final ThreadLocal<List<String>> recording = new ThreadLocal<>();
  /** Bound as a transaction resource once a transaction has written. */
  private final Object writingMarker = new Object();

  @Override
  public void executeStart(ExecuteContext ctx) {
    statements.increment();
    List<String> recorded = recording.get();
    if (recorded != null) {
      recorded.add(ctx.sql());
    }
    if (ctx.sql() == null || isRead(ctx.sql())) {
      return;
    }
    if (TransactionSynchronizationManager.isActualTransactionActive()
        && TransactionSynchronizationManager.isSynchronizationActive()) {
      if (!TransactionSynchronizationManager.hasResource(writingMarker)) {
        TransactionSynchronizationManager.bindResource(writingMarker, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(writingMarker);
            if (status == STATUS_COMMITTED) {
              committed();
            }
          }
        });
      }
    } else {
      committed();
    }
  }

  private void committed() {
    commits.increment();
    List<String> recorded = recording.get();
    if (recorded != null) {
      recorded.add(COMMIT);
    }
  }

  private static boolean isRead(String sql) {
    String start = sql.stripLeading().toLowerCase(Locale.ROOT);
    return (start.startsWith("select") || start.startsWith("with")) && !start.contains(" for update");
  }

  long count() {
    return statements.sum();
  }

  /** Writing commits so far (see the class comment). */
  long commits() {
    return commits.sum();
  }

  /**
   * The statements {@code body} runs on this thread (other threads' statements are not listed),
   * with a {@value #COMMIT} line after each writing commit.
   */
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
