package dev.saturn.app.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.saturn.api.chat.TurnChannel;
import dev.saturn.api.chat.TurnStarter;
import dev.saturn.api.ratelimit.CompanyConcurrency;
import dev.saturn.api.web.ApiException;
import dev.saturn.app.e2e.HttpJson;
import dev.saturn.app.e2e.TestApp;
import dev.saturn.db.chat.TurnRow;
import dev.saturn.db.chat.TurnStatus;
import dev.saturn.db.common.CompanyId;
import dev.saturn.workflows.common.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The turn starter as a channel uses it, without the REST controller: accept once, start without
 * waiting, await later; the quota and the company's ceiling of waiting requests hold on this path
 * as they do for REST.
 */
class TurnStarterTest extends BootedApp {

  @Autowired TurnStarter starter;
  @Autowired CompanyConcurrency concurrency;

  @AfterEach
  void releaseTheModel() {
    model().release();
  }

  TestApp.Tenant newCompany(String name) {
    return TestApp.newCompany(http(), ADMIN, name + "-" + System.nanoTime());
  }

  static long turnsOf(String companyId) {
    return sql().fetchOne("SELECT COUNT(*) FROM turns WHERE company_id = ?", companyId).get(0, Long.class);
  }

  @Test
  void givenAChannelThatAnswersAtOnce_whenItStartsThenAwaitsATurn_itShouldRunItOnceAndGiveARepeatTheSameTurn() {
    TestApp.Tenant tenant = newCompany("starter-once");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    TurnStarter.StartTurn command = new TurnStarter.StartTurn(
        CompanyId.of(tenant.companyId()), agentId, null, "hello", "starter-key-1", TurnChannel.REST);

    TurnStarter.AcceptedTurn accepted = starter.start(command);
    TurnRow done = starter.await(accepted, Duration.ofSeconds(30));
    TurnStarter.AcceptedTurn repeated = starter.start(command);

    assertThat(accepted.status()).isEqualTo(TurnStatus.RUNNING);
    assertThat(accepted.workflowId())
        .isEqualTo("chat-turn:" + tenant.companyId() + ":" + accepted.sessionId() + ":starter-key-1");
    assertThat(done.status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(repeated.turnId()).isEqualTo(accepted.turnId());
    assertThat(repeated.status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(turnsOf(tenant.companyId())).isEqualTo(1);
  }

  @Test
  void givenAPlanOfOneWaitingChat_whenAChannelAwaitsATurn_itShouldHoldTheSlotSoAnotherWaitIsRefused() throws Exception {
    TestApp.Tenant tenant = newCompany("starter-ceiling");
    putOnPlan(tenant.companyId(), "{\"concurrent_chat_requests\": 1}", null);
    CompanyId company = CompanyId.of(tenant.companyId());
    String agentId = TestApp.newAgent(http(), tenant, Map.of("provider", "openai"));
    int before = model().requests().size();
    model().holdRequests();

    // Starting does not wait, so it takes no slot: it returns while the model holds the turn.
    TurnStarter.AcceptedTurn accepted = starter.start(
        new TurnStarter.StartTurn(company, agentId, null, "first", null, TurnChannel.REST));
    assertThat(concurrency.inUse(company, CompanyConcurrency.Kind.CHAT_REQUESTS)).isZero();
    CompletableFuture<TurnRow> waiting = CompletableFuture.supplyAsync(() -> starter.await(accepted, Duration.ofSeconds(60)));
    assertThat(model().awaitRequests(before + 1, Duration.ofSeconds(30))).as("the turn reached the model").isTrue();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (concurrency.inUse(company, CompanyConcurrency.Kind.CHAT_REQUESTS) == 0 && System.nanoTime() < until) {
      Thread.sleep(20);
    }

    ApiException refused = catchThrowableOfType(ApiException.class, () -> starter.startAndAwait(
        new TurnStarter.StartTurn(company, agentId, null, "second", null, TurnChannel.REST)));
    HttpJson.Response rest = http().post("/v1/agents/" + agentId + "/chat", tenant.apiKey(), Map.of("message", "third"));

    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(rest.status()).isEqualTo(429);
    assertThat(turnsOf(tenant.companyId())).as("a refused start records no turn").isEqualTo(1);
    model().release();
    assertThat(waiting.get(60, TimeUnit.SECONDS).status()).isEqualTo(TurnStatus.COMPLETED);
    assertThat(concurrency.inUse(company, CompanyConcurrency.Kind.CHAT_REQUESTS)).isZero();
  }

  @Test
  void givenAQuotaUsedUp_whenAChannelStartsATurn_itShouldBeRefusedAndRecordNothing() {
    TestApp.Tenant tenant = newCompany("starter-quota");
    String agentId = TestApp.newAgent(http(), tenant, Map.of());
    putOnPlan(tenant.companyId(), "{}", 0L);

    ApiException refused = catchThrowableOfType(ApiException.class, () -> starter.start(new TurnStarter.StartTurn(
        CompanyId.of(tenant.companyId()), agentId, null, "hello", "starter-quota-1", TurnChannel.REST)));

    assertThat(refused.code()).isEqualTo(ErrorCode.QUOTA_EXCEEDED);
    assertThat(turnsOf(tenant.companyId())).isZero();
  }
}
