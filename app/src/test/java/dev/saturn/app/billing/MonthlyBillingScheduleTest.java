package dev.saturn.app.billing;

import dev.saturn.activities.common.BusinessMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.billing.BillingActivitiesImpl;
import dev.saturn.db.billing.BillingCatalog;
import dev.saturn.db.billing.BillingPeriod;
import dev.saturn.db.billing.Invoice;
import dev.saturn.db.billing.InvoiceRepository;
import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.identity.PlanRepository;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import dev.saturn.worker.billing.BillingSchedule;
import dev.saturn.workflows.billing.BillingRunResult;
import dev.saturn.workflows.billing.BillingRunWorkflowImpl;
import dev.saturn.workflows.billing.InvoiceDraftWorkflowImpl;
import dev.saturn.workflows.billing.MonthlyBillingWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monthly trigger on the Java test server, which has no Schedule API: the installer falls back
 * to the cron workflow, and skipping time across the month boundary bills the month that ended,
 * with real activities over MariaDB.
 */
class MonthlyBillingScheduleTest {

  TestDatabase database;
  DSLContext db;
  InvoiceRepository invoices;
  UsageEventRepository usage;
  TestWorkflowEnvironment env;

  @BeforeEach
  void setUp() {
    database = TestDatabase.create();
    db = database.dsl();
    Clock clock = Clock.systemUTC();
    usage = new UsageEventRepository(db, clock);
    invoices = new InvoiceRepository(db, new PlanRepository(db), clock);
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.BILLING);
    worker.registerWorkflowImplementationTypes(
        MonthlyBillingWorkflowImpl.class, BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BillingActivitiesImpl(new BillingCatalog(db), invoices, BusinessMetrics.discarded()));
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    database.close();
  }

  @Test
  void givenNoScheduleApi_whenTimePassesTheMonthBoundary_theCronRunShouldDraftInvoicesOnlyForCompaniesWithEvents()
      throws Exception {
    BillingSchedule schedule = new BillingSchedule(env.getWorkflowClient(), "5 0 1 * *");
    assertThat(schedule.install()).isEqualTo(BillingSchedule.Kind.CRON_WORKFLOW);
    assertThat(schedule.install()).as("installing again attaches to the running cron workflow")
        .isEqualTo(BillingSchedule.Kind.CRON_WORKFLOW);

    Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
    BillingPeriod month = BillingPeriod.containing(now);
    CompanyId busy = Fixtures.company(db);
    CompanyId quiet = Fixtures.company(db);
    CompanyId idle = Fixtures.company(db);
    event(busy, "turn:a:llm:1", now);
    event(busy, "turn:b:llm:1", now);
    event(quiet, "turn:c:llm:1", now);

    env.sleep(Duration.between(now, month.end()).minusMinutes(1));
    assertThat(draftOf(busy, month)).as("nothing is billed before the month ends").isEmpty();

    env.sleep(Duration.ofMinutes(10));
    BillingRunResult run = env.getWorkflowClient()
        .newUntypedWorkflowStub(WorkflowIds.billingRun(month.toString()))
        .getResult(60, TimeUnit.SECONDS, BillingRunResult.class);

    assertThat(run.period()).isEqualTo(month.toString());
    assertThat(run.drafted()).isEqualTo(2);
    assertThat(draftOf(busy, month)).get().extracting(Invoice::eventCount).isEqualTo(2L);
    assertThat(draftOf(quiet, month)).get().extracting(Invoice::eventCount).isEqualTo(1L);
    assertThat(draftOf(idle, month)).isEmpty();
  }

  private Optional<Invoice> draftOf(CompanyId company, BillingPeriod period) {
    return invoices.find(company, InvoiceRepository.invoiceId(company, period));
  }

  private void event(CompanyId company, String key, Instant at) {
    usage.recordOnce(company, new UsageEvent(
        Ids.newId(), company.value(), null, null, null, "llm", "p", "m", 10, 5, 1, false, key, at));
  }
}
