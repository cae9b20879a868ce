package dev.saturn.db.billing;

import static dev.saturn.db.jooq.Tables.PLANS;
import static dev.saturn.db.jooq.Tables.USAGE_EVENTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saturn.db.common.CompanyId;
import dev.saturn.db.common.Ids;
import dev.saturn.db.identity.PlanRepository;
import dev.saturn.db.testing.Fixtures;
import dev.saturn.db.testing.TestDatabase;
import dev.saturn.db.usage.UsageEvent;
import dev.saturn.db.usage.UsageEventRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drafts against a real MariaDB: deterministic, provable by digest, frozen once finalized. */
class InvoiceRepositoryTest {

  static final BillingPeriod OCTOBER = BillingPeriod.of("2026-10");
  static final Instant IN_OCTOBER = Instant.parse("2026-10-15T12:00:00Z");

  static TestDatabase database;
  static DSLContext db;
  static UsageEventRepository usage;
  static InvoiceRepository invoices;

  CompanyId company;
  List<String> eventIds;

  @BeforeAll
  static void start() {
    database = TestDatabase.create();
    db = database.dsl();
    Clock clock = Clock.systemUTC();
    usage = new UsageEventRepository(db, clock);
    invoices = new InvoiceRepository(db, new PlanRepository(db), clock);
    db.insertInto(PLANS)
        .set(PLANS.ID, "test-pro")
        .set(PLANS.NAME, "Test Pro")
        .set(PLANS.CURRENCY, "EUR")
        .set(PLANS.BASE_FEE_MINOR, 1000L)
        .set(PLANS.INCLUDED_TOKENS, 100L)
        .set(PLANS.MONTHLY_TOKEN_QUOTA, (Long) null)
        .set(PLANS.TOOL_CALL_PRICE_MINOR, 5L)
        .set(PLANS.MODEL_PRICES, JSON.valueOf("{\"*\": {\"input_per_1k_minor\": 2, \"output_per_1k_minor\": 6}}"))
        .set(PLANS.RATE_LIMITS, JSON.valueOf("{}"))
        .set(PLANS.CREATED_AT, LocalDateTime.now())
        .execute();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  @BeforeEach
  void companyWithEvents() {
    company = Fixtures.company(db);
    db.update(dev.saturn.db.jooq.Tables.COMPANIES).set(dev.saturn.db.jooq.Tables.COMPANIES.PLAN_ID, "test-pro")
        .where(dev.saturn.db.jooq.Tables.COMPANIES.ID.eq(company.value())).execute();
    eventIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      record(llm("turn:t" + i + ":llm:1", 1000, 250, IN_OCTOBER.plusSeconds(i)));
    }
    record(tool("turn:t0:tool:c1", IN_OCTOBER));
  }

  @Test
  void givenADraft_whenRecomputed_itShouldBeTheSameByteForByteWithTheSameDigest() {
    InvoiceRepository.DraftResult first = invoices.draft(company, OCTOBER);
    InvoiceRepository.DraftResult again = invoices.draft(company, OCTOBER);

    assertThat(first.changed()).isTrue();
    assertThat(again.changed()).isFalse();
    assertThat(again.invoice().toString()).isEqualTo(first.invoice().toString());
    assertThat(again.invoice()).isEqualTo(first.invoice());
    assertThat(first.invoice().id()).isEqualTo(InvoiceRepository.invoiceId(company, OCTOBER));
    assertThat(first.invoice().eventCount()).isEqualTo(6);
    assertThat(first.invoice().eventDigest()).isEqualTo(independentDigest(eventIds));
    // 1000 base + 5000 input x 2/1k = 10 + 1250 output x 6/1k = 7.5 -> 8 + 1 tool call x 5; 100 included input tokens: 0.2 -> 0
    assertThat(first.invoice().lines()).extracting(InvoiceLine::kind)
        .containsExactly("base_fee", "llm_input", "llm_output", "tool_call", "included_tokens");
    assertThat(first.invoice().subtotalMinor()).isEqualTo(1000 + 10 + 8 + 5);
    assertThat(first.invoice().totalMinor()).isEqualTo(1000 + 10 + 8 + 5);
  }

  @Test
  void givenANewEvent_whenRecomputed_itShouldChangeTheDigestAndTheCount() {
    Invoice before = invoices.draft(company, OCTOBER).invoice();
    record(llm("turn:late:llm:1", 10, 10, IN_OCTOBER.plusSeconds(60)));

    InvoiceRepository.DraftResult after = invoices.draft(company, OCTOBER);

    assertThat(after.changed()).isTrue();
    assertThat(after.invoice().eventCount()).isEqualTo(before.eventCount() + 1);
    assertThat(after.invoice().eventDigest()).isNotEqualTo(before.eventDigest()).isEqualTo(independentDigest(eventIds));
    assertThat(after.invoice().id()).isEqualTo(before.id());
  }

  @Test
  void givenAFinalizedInvoice_whenRecomputed_itShouldRefuseAndLateEventsShouldGoToTheNextPeriod() {
    Invoice draft = invoices.draft(company, OCTOBER).invoice();
    Invoice finalized = invoices.finalizeInvoice(company, draft.id()).orElseThrow();
    assertThat(finalized.status()).isEqualTo(InvoiceStatus.FINALIZED);
    assertThat(finalized.finalizedAt()).isNotNull();
    assertThat(finalized.eventDigest()).isEqualTo(draft.eventDigest());

    assertThatThrownBy(() -> invoices.draft(company, OCTOBER)).isInstanceOf(InvoiceFinalizedException.class);
    assertThatThrownBy(() -> invoices.finalizeInvoice(company, draft.id())).isInstanceOf(InvoiceFinalizedException.class);

    String lateId = Ids.newId();
    usage.recordOnce(company, new UsageEvent(lateId, company.value(), null, null, null, "llm", "p", "m", 7, 3, 1, false,
        "turn:late-october:llm:1", IN_OCTOBER.plusSeconds(3600)));
    Invoice november = invoices.draft(company, OCTOBER.next()).invoice();
    assertThat(november.eventCount()).isEqualTo(1);
    assertThat(november.eventDigest()).isEqualTo(independentDigest(List.of(lateId)));
    assertThat(invoices.find(company, draft.id()).orElseThrow()).isEqualTo(finalized);
  }

  @Test
  void givenKnownEventIds_whenDigested_itShouldBeTheSha256OfTheSortedIdsOnePerLine() {
    // Stored invoices carry this digest: changing its definition would mark every draft changed.
    // Expected value computed outside Java:
    //   printf '0b5f7c1e-0000-4000-8000-000000000003\n0b5f7c1e-0000-4000-8000-00000000000a\n'\
    //     '0b5f7c1e-0000-4000-8000-000000000010\nf0000000-0000-4000-8000-000000000001\n' | sha256sum
    CompanyId pinned = Fixtures.company(db);
    List<String> recordedOutOfOrder = List.of(
        "f0000000-0000-4000-8000-000000000001",
        "0b5f7c1e-0000-4000-8000-000000000010",
        "0b5f7c1e-0000-4000-8000-000000000003",
        "0b5f7c1e-0000-4000-8000-00000000000a");
    for (int i = 0; i < recordedOutOfOrder.size(); i++) {
      assertThat(usage.recordOnce(pinned, new UsageEvent(recordedOutOfOrder.get(i), pinned.value(), null, null, null,
          "tool_call", null, null, 0, 0, 1, false, "pinned:" + i, IN_OCTOBER))).isTrue();
    }
    // Neither another period's event nor another company's events belong to the set.
    assertThat(usage.recordOnce(pinned, new UsageEvent("0b5f7c1e-0000-4000-8000-000000000001", pinned.value(), null,
        null, null, "tool_call", null, null, 0, 0, 1, false, "pinned:november", Instant.parse("2026-11-02T00:00:00Z"))))
        .isTrue();

    EventSetDigest digest = invoices.digest(pinned, OCTOBER);

    assertThat(digest.count()).isEqualTo(4);
    assertThat(digest.sha256()).isEqualTo("21f0e3bfe41ef1177a6ed44667234bf2d36d02b2108786b71d62271368ff718b");
    // No events: the SHA-256 of nothing (printf '' | sha256sum).
    assertThat(invoices.digest(pinned, BillingPeriod.of("2026-09")))
        .isEqualTo(new EventSetDigest(0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  }

  @Test
  void givenMoreEventsThanOneFetch_whenDigested_itShouldHashEveryIdInOrder() {
    CompanyId large = Fixtures.company(db);
    List<String> ids = new ArrayList<>();
    for (int batch = 0; batch < 3; batch++) {
      var insert = db.insertInto(USAGE_EVENTS, USAGE_EVENTS.ID, USAGE_EVENTS.COMPANY_ID, USAGE_EVENTS.KIND,
          USAGE_EVENTS.INPUT_TOKENS, USAGE_EVENTS.OUTPUT_TOKENS, USAGE_EVENTS.QUANTITY, USAGE_EVENTS.ESTIMATED,
          USAGE_EVENTS.IDEMPOTENCY_KEY, USAGE_EVENTS.OCCURRED_AT, USAGE_EVENTS.BILLING_PERIOD, USAGE_EVENTS.CREATED_AT);
      for (int i = 0; i < 4000; i++) {
        String id = Ids.newId();
        ids.add(id);
        LocalDateTime at = LocalDateTime.of(2026, 10, 1, 0, 0);
        insert = insert.values(id, large.value(), "tool_call", 0L, 0L, 1L, (byte) 0, "bulk:" + batch + ":" + i, at,
            OCTOBER.toString(), at);
      }
      insert.execute();
    }

    EventSetDigest digest = invoices.digest(large, OCTOBER);

    assertThat(digest).isEqualTo(new EventSetDigest(12_000, independentDigest(ids)));
  }

  @Test
  void givenAnotherCompanysInvoice_whenLookedUp_itShouldNotBeFound() {
    Invoice draft = invoices.draft(company, OCTOBER).invoice();
    CompanyId other = Fixtures.company(db);

    assertThat(invoices.find(other, draft.id())).isEmpty();
    assertThat(invoices.finalizeInvoice(other, draft.id())).isEmpty();
    assertThat(invoices.list(other, null, null, 10)).isEmpty();
    assertThat(invoices.list(company, null, null, 10)).extracting(Invoice::id).containsExactly(draft.id());
  }

  private void record(UsageEvent event) {
    assertThat(usage.recordOnce(company, event)).isTrue();
    eventIds.add(event.id());
  }

  private UsageEvent llm(String key, long in, long out, Instant at) {
    return new UsageEvent(Ids.newId(), company.value(), null, null, null, "llm", "openai", "gpt-x", in, out, 1, false,
        key, at);
  }

  private UsageEvent tool(String key, Instant at) {
    return new UsageEvent(Ids.newId(), company.value(), null, null, null, "tool_call", null, null, 0, 0, 1, false, key,
        at);
  }

  /** What anyone can compute from the event ids: sort, one per line, SHA-256. */
  static String independentDigest(List<String> ids) throws RuntimeException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ids.stream().sorted().forEach(id -> sha.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
