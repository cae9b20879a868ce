package dev.saturn.app.bench;

import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.workflows.billing.BillingRunInput;
import dev.saturn.workflows.billing.BillingRunResult;
import dev.saturn.workflows.billing.BillingRunWorkflow;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The monthly billing run at scale: N usage events across M companies bulk-loaded into MariaDB,
 * then {@code BillingRunWorkflow} (one child draft per company, real activities, real Spring
 * transactions) on a booted SATURN, timed from start to its result, twice (first draft, then an
 * unchanged recompute). Not a test: run it with {@code bench/billing-run.sh}.
 *
 * <p>Options: {@code --events=1000000 --companies=100 --temporal=embedded|dev-server
 * --temporal-cli=PATH --data-dir=DIR --out=FILE --buffer-pool=1G --concurrent-drafts=N --pool-size=N}
 * ({@code --buffer-pool} is MariaDB's {@code innodb_buffer_pool_size}; the last two override
 * {@code saturn.billing.worker.concurrent-drafts} and {@code spring.datasource.hikari.maximum-pool-size}).
 */
public final class BillingRunBenchmark {

  static final BillingPeriod PERIOD = BillingPeriod.of("2026-10");
  static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "llama-3.1-8b", "text-embedding-3-small"};

  public static void main(String[] args) {
    int status = 0;
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private static void run(String[] args) throws Exception {
    long events = 1_000_000;
    int companies = 100;
    String backend = "embedded";
    Path cli = null;
    Path dataDir = Path.of("bench-data").toAbsolutePath();
    Path out = null;
    String bufferPool = "1G";
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String arg : args) {
      String value = arg.substring(arg.indexOf('=') + 1);
      if (arg.startsWith("--events=")) events = Long.parseLong(value);
      else if (arg.startsWith("--companies=")) companies = Integer.parseInt(value);
      else if (arg.startsWith("--temporal=")) backend = value;
      else if (arg.startsWith("--temporal-cli=")) cli = Path.of(value);
      else if (arg.startsWith("--data-dir=")) dataDir = Path.of(value);
      else if (arg.startsWith("--out=")) out = Path.of(value);
      else if (arg.startsWith("--buffer-pool=")) bufferPool = value;
      else if (arg.startsWith("--concurrent-drafts=")) overrides.put("saturn.billing.worker.concurrent-drafts", value);
      else if (arg.startsWith("--pool-size=")) overrides.put("spring.datasource.hikari.maximum-pool-size", value);
      else throw new IllegalArgumentException("unknown option " + arg);
    }
    StringBuilder report = new StringBuilder();
    say(report, "# Billing run benchmark, " + Instant.now());
    say(report, "events=" + events + " companies=" + companies + " period=" + PERIOD + " temporal=" + backend
        + " cpus=" + Runtime.getRuntime().availableProcessors() + " load=" + load());
    say(report, "innodb_buffer_pool_size=" + bufferPool + " settings=" + overrides);

    System.setProperty(TestDatabase.SERVER_ARGS_PROPERTY, "--innodb-buffer-pool-size=" + bufferPool);
    TestDatabase database = TestDatabase.create();
    List<String> companyIds = new ArrayList<>();
    long loadStart = System.nanoTime();
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
      StringBuilder sql = new StringBuilder("INSERT INTO companies (id, name, plan_id, status, created_at) VALUES ");
      for (int i = 0; i < companies; i++) {
        String id = UUID.randomUUID().toString();
        companyIds.add(id);
        sql.append(i == 0 ? "" : ",").append("('").append(id).append("','bench ").append(i)
            .append("','starter','active','2026-01-01 00:00:00')");
      }
      s.execute(sql.toString());
      Random random = new Random(42);
      int batch = 2000;
      long perCompany = events / companies;
      for (int company = 0; company < companies; company++) {
        String companyId = companyIds.get(company);
        String[] agents = {UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString()};
        for (long done = 0; done < perCompany; done += batch) {
          sql.setLength(0);
          sql.append("INSERT INTO usage_events (id, company_id, agent_id, session_id, turn_id, kind, provider, model,"
              + " input_tokens, output_tokens, quantity, estimated, idempotency_key, occurred_at, billing_period,"
              + " created_at) VALUES ");
          long n = Math.min(batch, perCompany - done);
          for (long k = 0; k < n; k++) {
            long seq = done + k;
            int roll = random.nextInt(100);
            String kind = roll < 80 ? "llm" : roll < 95 ? "tool_call" : "embedding";
            String model = kind.equals("tool_call") ? null : kind.equals("embedding") ? MODELS[3] : MODELS[random.nextInt(3)];
            long in = kind.equals("tool_call") ? 0 : 50 + random.nextInt(4000);
            long outTokens = kind.equals("llm") ? 10 + random.nextInt(800) : 0;
            String at = String.format(Locale.ROOT, "2026-10-%02d %02d:%02d:%02d.%06d", 1 + random.nextInt(31),
                random.nextInt(24), random.nextInt(60), random.nextInt(60), random.nextInt(1_000_000));
            sql.append(k == 0 ? "" : ",").append("('").append(UUID.randomUUID()).append("','").append(companyId)
                .append("','").append(agents[random.nextInt(3)]).append("',NULL,NULL,'").append(kind).append("','p',")
                .append(model == null ? "NULL" : "'" + model + "'").append(',').append(in).append(',').append(outTokens)
                .append(",1,0,'bench:").append(seq).append("','").append(at).append("','").append(PERIOD)
                .append("','").append(at).append("')");
          }
          s.execute(sql.toString());
        }
      }
      s.execute("ANALYZE TABLE usage_events, companies");
      say(report, String.format(Locale.ROOT, "loaded %d events in %.1f s", perCompany * companies,
          (System.nanoTime() - loadStart) / 1e9));
      indexSizes(report, s, database.name());
      explain(report, s, "aggregation (per company)", "SELECT kind, COALESCE(model, ''), COUNT(*), SUM(input_tokens),"
          + " SUM(output_tokens), SUM(quantity) FROM usage_events WHERE company_id = '" + companyIds.get(0)
          + "' AND billing_period = '" + PERIOD + "' GROUP BY kind, model");
      explain(report, s, "digest (per company)", "SELECT id FROM usage_events WHERE company_id = '" + companyIds.get(0)
          + "' AND billing_period = '" + PERIOD + "' ORDER BY id");
      explain(report, s, "companies with usage (per page)", "SELECT companies.id FROM companies WHERE EXISTS (SELECT 1"
          + " FROM usage_events WHERE usage_events.company_id = companies.id AND usage_events.billing_period = '"
          + PERIOD + "') ORDER BY companies.id LIMIT 100");
    }

    Files.createDirectories(dataDir);
    SaturnInstance saturn = SaturnInstance.boot(backend, database.jdbcUrl(), "bench-" + UUID.randomUUID(),
        dataDir.resolve(backend), cli, "WARN", overrides);
    try {
      WorkflowClient client = saturn.bean(WorkflowClient.class);
      long databasePid = CpuMeter.findChild(List.of("mariadbd", "--port=" + TestDatabase.serverPort())).orElse(-1L);
      for (String label : new String[] {"first run (drafts created)", "second run (recomputed, unchanged)"}) {
        BillingRunWorkflow workflow = client.newWorkflowStub(BillingRunWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.billingRun(PERIOD.toString())).setTaskQueue(TaskQueues.BILLING).build());
        long jvmCpu = CpuMeter.jvmNanos();
        long jitCpu = CpuMeter.jitNanos();
        long databaseCpu = CpuMeter.processNanos(databasePid);
        long start = System.nanoTime();
        BillingRunResult result = workflow.run(BillingRunInput.of(PERIOD.toString()));
        double seconds = (System.nanoTime() - start) / 1e9;
        jitCpu = CpuMeter.jitNanos() - jitCpu;
        say(report, String.format(Locale.ROOT, "%s: %.2f s, drafted=%d changed=%d failed=%d, %.0f events/s;"
                + " CPU: JVM %.2f s (JIT %.2f s of it), MariaDB %.2f s; load=%s",
            label, seconds, result.drafted(), result.changed(), result.failed(), events / seconds,
            (CpuMeter.jvmNanos() - jvmCpu) / 1e9, jitCpu / 1e9, (CpuMeter.processNanos(databasePid) - databaseCpu) / 1e9,
            load()));
      }
      // Where one draft's time goes: the two queries alone, on one company, after the runs (warm).
      InvoiceRepository invoices = saturn.bean(InvoiceRepository.class);
      CompanyId one = CompanyId.of(companyIds.get(0));
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        int groups = invoices.aggregate(one, PERIOD).size();
        long t1 = System.nanoTime();
        long digested = invoices.digest(one, PERIOD).count();
        long t2 = System.nanoTime();
        invoices.draft(one, PERIOD);
        long t3 = System.nanoTime();
        say(report, String.format(Locale.ROOT, "one company (%d events, %d groups): aggregate %.0f ms, digest %.0f ms,"
            + " whole draft %.0f ms", digested, groups, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6));
      }
      try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(event_count), SUM(total_minor) FROM invoices WHERE period = '"
              + PERIOD + "'")) {
        r.next();
        say(report, "invoices=" + r.getLong(1) + " events billed=" + r.getLong(2) + " total_minor=" + r.getLong(3)
            + " load=" + load());
      }
    } finally {
      saturn.close();
    }
    if (out != null) {
      Files.writeString(out, report);
    }
  }

  private static void explain(StringBuilder report, Statement s, String what, String query) throws SQLException {
    say(report, "EXPLAIN " + what + ":");
    try (ResultSet r = s.executeQuery("EXPLAIN " + query)) {
      while (r.next()) {
        say(report, String.format("  table=%s type=%s key=%s rows=%s extra=%s", r.getString("table"),
            r.getString("type"), r.getString("key"), r.getString("rows"), r.getString("Extra")));
      }
    }
  }

  /** What the buffer pool would have to hold: usage_events' clustered index (the rows) and each secondary index. */
  private static void indexSizes(StringBuilder report, Statement s, String schema) throws SQLException {
    StringBuilder sizes = new StringBuilder("usage_events size (MiB):");
    try (ResultSet r = s.executeQuery("SELECT index_name, stat_value * @@innodb_page_size / 1048576"
        + " FROM mysql.innodb_index_stats WHERE database_name = '" + schema + "' AND table_name = 'usage_events'"
        + " AND stat_name = 'size' ORDER BY index_name")) {
      while (r.next()) {
        sizes.append(String.format(Locale.ROOT, " %s=%.0f", r.getString(1), r.getDouble(2)));
      }
    }
    say(report, sizes.toString());
  }

  private static String load() {
    return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static void say(StringBuilder report, String line) {
    System.out.println("[bench] " + line);
    report.append(line).append('\n');
  }
}
