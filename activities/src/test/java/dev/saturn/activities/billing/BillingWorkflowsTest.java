package dev.saturn.activities.billing;

import dev.saturn.activities.common.BusinessMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.saturn.workflows.billing.BillingRunInput;
import dev.saturn.workflows.billing.BillingRunResult;
import dev.saturn.workflows.billing.BillingRunWorkflow;
import dev.saturn.workflows.billing.BillingRunWorkflowImpl;
import dev.saturn.workflows.billing.InvoiceDraftInput;
import dev.saturn.workflows.billing.InvoiceDraftWorkflow;
import dev.saturn.workflows.billing.InvoiceDraftWorkflowImpl;
import dev.saturn.workflows.common.TaskQueues;
import dev.saturn.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BillingRunWorkflow and InvoiceDraftWorkflow on the Temporal test server with the real activities and MariaDB. */
class BillingWorkflowsTest {

  static TestDatabase database;
  static DSLContext db;
  static UsageEventRepository usage;
  static InvoiceRepository invoices;
  static BillingActivitiesImpl activities;

  TestWorkflowEnvironment env;
  BillingPeriod period;
  CompanyId busy;
  CompanyId quiet;
  CompanyId idle;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    Clock clock = Clock.systemUTC();
    usage = new UsageEventRepository(db, clock);
    invoices = new InvoiceRepository(db, new PlanRepository(db), clock);
    activities = new BillingActivitiesImpl(new BillingCatalog(db), invoices, BusinessMetrics.discarded());
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.BILLING);
    worker.registerWorkflowImplementationTypes(BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
    // Each test bills its own month, so other tests' companies never show up in it.
    period = BillingPeriod.of("2030-" + String.format("%02d", 1 + (int) (Math.random() * 12)));
    period = new BillingPeriod(period.month().plusYears((long) (Math.random() * 50)));
    busy = Fixtures.company(db);
    quiet = Fixtures.company(db);
    idle = Fixtures.company(db);
    for (int i = 0; i < 3; i++) {
      event(busy, "llm", "turn:b" + i + ":llm:1", 100, 20);
    }
    event(busy, "tool_call", "turn:b0:tool:c1", 0, 0);
    event(quiet, "llm", "turn:q0:llm:1", 5, 5);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void givenTwoCompaniesWithEventsAndOneWithout_whenTheRunRunsTwice_itShouldDraftOneInvoiceEachAndNoneForTheIdleOne() {
    BillingRunResult first = billingRun().run(BillingRunInput.of(period.toString()));
    Invoice busyDraft = draftOf(busy).orElseThrow();
    Invoice quietDraft = draftOf(quiet).orElseThrow();

    BillingRunResult second = billingRun().run(BillingRunInput.of(period.toString()));

    assertThat(first.drafted()).isEqualTo(2);
    assertThat(first.changed()).isEqualTo(2);
    assertThat(first.failed()).isZero();
    assertThat(second.drafted()).isEqualTo(2);
    assertThat(second.changed()).as("recomputed, unchanged").isZero();
    assertThat(draftOf(idle)).isEmpty();
    assertThat(busyDraft.eventCount()).isEqualTo(4);
    assertThat(quietDraft.eventCount()).isEqualTo(1);
    assertThat(invoices.list(busy, period.toString(), null, 10)).hasSize(1);
    assertThat(draftOf(busy).orElseThrow()).isEqualTo(busyDraft);
  }

  @Test
  void givenAFinalizedInvoice_whenItsDraftWorkflowRunsAgain_itShouldFailWithConflictAndTheRunShouldCountIt() {
    var draft = draftWorkflow(busy).run(new InvoiceDraftInput(busy.value(), period.toString()));
    assertThat(draft.changed()).isTrue();
    invoices.finalizeInvoice(busy, draft.invoiceId());

    assertThatThrownBy(() -> draftWorkflow(busy).run(new InvoiceDraftInput(busy.value(), period.toString())))
        .isInstanceOf(WorkflowFailedException.class)
        .cause().isInstanceOf(ActivityFailure.class)
        .cause().isInstanceOf(ApplicationFailure.class)
        .satisfies(e -> assertThat(((ApplicationFailure) e).getType()).isEqualTo("CONFLICT"));
    BillingRunResult run = billingRun().run(BillingRunInput.of(period.toString()));
    assertThat(run.failed()).isEqualTo(1);
    assertThat(run.drafted()).isEqualTo(1);
  }

  private Optional<Invoice> draftOf(CompanyId company) {
    return invoices.find(company, InvoiceRepository.invoiceId(company, period));
  }

  private BillingRunWorkflow billingRun() {
    return env.getWorkflowClient().newWorkflowStub(BillingRunWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.billingRun(period.toString())).setTaskQueue(TaskQueues.BILLING).build());
  }

  private InvoiceDraftWorkflow draftWorkflow(CompanyId company) {
    return env.getWorkflowClient().newWorkflowStub(InvoiceDraftWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.invoiceDraft(company.value(), period.toString()))
        .setTaskQueue(TaskQueues.BILLING).build());
  }

  private void event(CompanyId company, String kind, String key, long in, long out) {
    Instant at = period.start().plusSeconds(3600);
    usage.recordOnce(company, new UsageEvent(Ids.newId(), company.value(), null, null, null, kind, "p",
        "llm".equals(kind) ? "m" : null, in, out, 1, false, key, at));
  }
}
