package dev.saturn.workflows.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saturn.workflows.common.ErrorCode;
import dev.saturn.workflows.common.SaturnSearchAttributes;
import dev.saturn.workflows.common.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The billing run's paging and child handling, with in-memory activities. */
class BillingRunWorkflowTest {

  TestWorkflowEnvironment env;
  FakeBilling billing;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    SaturnSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(TaskQueues.BILLING);
    worker.registerWorkflowImplementationTypes(BillingRunWorkflowImpl.class, InvoiceDraftWorkflowImpl.class);
    billing = new FakeBilling(IntStream.range(0, 230).mapToObj(i -> String.format("c%04d", i)).toList(), Set.of("c0007"));
    worker.registerActivitiesImplementations(billing);
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void givenMoreCompaniesThanAPage_whenTheRunRuns_itShouldDraftEachOnceAndCountTheFinalizedOneAsFailed() {
    BillingRunResult result = env.getWorkflowClient()
        .newWorkflowStub(BillingRunWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId("billing:2026-10").setTaskQueue(TaskQueues.BILLING).build())
        .run(BillingRunInput.of("2026-10"));

    assertThat(result).isEqualTo(new BillingRunResult("2026-10", 229, 229, 1));
    assertThat(billing.drafted).hasSize(229).doesNotContain("c0007");
    assertThat(billing.pagesAsked).isEqualTo(3);
  }

  @Test
  void givenAnInstant_whenAskedForTheMonthThatEnded_itShouldBeThePreviousUtcMonth() {
    assertThat(MonthlyBillingWorkflowImpl.previousMonth(Instant.parse("2026-12-01T00:05:00Z"))).isEqualTo("2026-11");
    assertThat(MonthlyBillingWorkflowImpl.previousMonth(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("2026-12");
    assertThat(MonthlyBillingWorkflowImpl.previousMonth(Instant.parse("2026-11-30T23:59:59Z"))).isEqualTo("2026-10");
  }

  static final class FakeBilling implements BillingActivities {
    final List<String> companies;
    final Set<String> finalized;
    final Set<String> drafted = ConcurrentHashMap.newKeySet();
    volatile int pagesAsked;

    FakeBilling(List<String> companies, Set<String> finalized) {
      this.companies = companies;
      this.finalized = finalized;
    }

    @Override
    public CompanyPage companiesWithUsage(CompanyPageQuery query) {
      pagesAsked++;
      return new CompanyPage(companies.stream()
          .filter(c -> query.afterCompanyId() == null || c.compareTo(query.afterCompanyId()) > 0)
          .limit(query.limit())
          .toList());
    }

    @Override
    public InvoiceDraftResult draftInvoice(InvoiceDraftInput input) {
      if (finalized.contains(input.companyId())) {
        throw ApplicationFailure.newNonRetryableFailure("finalized", ErrorCode.CONFLICT.name());
      }
      drafted.add(input.companyId());
      return new InvoiceDraftResult("i-" + input.companyId(), input.companyId(), input.period(), "draft", 0, 1, "d", true);
    }
  }
}
