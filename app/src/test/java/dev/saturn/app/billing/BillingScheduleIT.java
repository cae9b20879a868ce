package dev.saturn.app.billing;

import dev.saturn.activities.common.BusinessMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.activities.billing.BillingActivitiesImpl;
import dev.saturn.activities.webhooks.testing.TestWebhookFacts;
import dev.saturn.app.runtime.LocalPorts;
import dev.saturn.app.runtime.temporal.RequiredTemporalCli;
import dev.saturn.app.runtime.temporal.TemporalDevServer;
import dev.saturn.app.runtime.temporal.TemporalProperties;
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
import dev.saturn.workflows.billing.BillingRunWorkflowImpl;
import dev.saturn.workflows.billing.InvoiceDraftWorkflowImpl;
import dev.saturn.workflows.billing.MonthlyBillingWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;

/**
 * The Schedule path against a real Temporal server ({@code temporal server start-dev}): the
 * installer creates the Schedule, a second install updates it, triggering it now bills the month
 * that has just ended for every company with events, and for no other.
 */
class BillingScheduleIT {

  @Test
  void givenADevServer_whenTheScheduleIsInstalledAndTriggered_itShouldDraftInvoicesForLastMonth() throws Exception {
    Path cli = RequiredTemporalCli.locateOrSkip();
    Path dataDir = Path.of("target", "billing-schedule-it-" + System.nanoTime()).toAbsolutePath();
    try (TemporalDevServer server = TemporalDevServer.start(
            cli, dataDir, InetAddress.getLoopbackAddress(), LocalPorts.pickFree(), LocalPorts.pickFree(), "default", Duration.ofSeconds(90),
            TemporalProperties.DevServer.DEFAULTS);
        TestDatabase database = TestDatabase.create()) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(server.target()).build());
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      DSLContext db = database.dsl();
      Clock clock = Clock.systemUTC();
      InvoiceRepository invoices = new InvoiceRepository(db, new PlanRepository(db), clock);
      UsageEventRepository usage = new UsageEventRepository(db, clock);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      Worker worker = factory.newWorker(TaskQueues.BILLING);
      worker.registerWorkflowImplementationTypes(
          MonthlyBillingWorkflowImpl.class, BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
      worker.registerActivitiesImplementations(new BillingActivitiesImpl(new BillingCatalog(db), invoices, database.transactions(),
          TestWebhookFacts.over(db, clock), BusinessMetrics.discarded()));
      factory.start();
      try {
        BillingPeriod lastMonth = BillingPeriod.containing(Instant.now()).previous();
        CompanyId busy = Fixtures.company(db);
        CompanyId idle = Fixtures.company(db);
        usage.recordOnce(busy, new UsageEvent(Ids.newId(), busy.value(), null, null, null, "llm", "p", "m", 10, 5, 1,
            false, "turn:it:llm:1", lastMonth.start().plusSeconds(60)));

        BillingSchedule schedule = new BillingSchedule(client, "5 0 1 * *");
        assertThat(schedule.install()).isEqualTo(BillingSchedule.Kind.SCHEDULE);
        assertThat(schedule.install()).as("a second start updates the schedule").isEqualTo(BillingSchedule.Kind.SCHEDULE);

        ScheduleHandle handle = ScheduleClient.newInstance(stubs).getHandle(WorkflowIds.MONTHLY_BILLING);
        handle.trigger();

        Optional<Invoice> draft = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (draft.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(250);
          draft = invoices.find(busy, InvoiceRepository.invoiceId(busy, lastMonth));
        }
        assertThat(draft).as("the triggered schedule drafted last month's invoice").isPresent();
        assertThat(draft.get().eventCount()).isEqualTo(1);
        assertThat(invoices.find(idle, InvoiceRepository.invoiceId(idle, lastMonth))).isEmpty();
        assertThat(handle.describe().getInfo().getNumActions()).isGreaterThanOrEqualTo(1);
        handle.delete();
      } finally {
        factory.shutdownNow();
        stubs.shutdownNow();
      }
    }
  }
}
