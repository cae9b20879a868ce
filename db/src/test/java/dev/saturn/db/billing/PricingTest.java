package dev.saturn.db.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {

  static final Plan PLAN = new Plan("p", "Pro", "USD", 2900, 1500, null, 2,
      Map.of("*", new ModelPrice(1, 3), "big", new ModelPrice(7, 21)));

  @Test
  void givenHalfAMinorUnit_whenPriced_itShouldRoundHalfUpOncePerLine() {
    assertThat(Pricing.per1k(500, 1)).isEqualTo(1);   // 0.5 -> 1
    assertThat(Pricing.per1k(499, 1)).isEqualTo(0);   // 0.499 -> 0
    assertThat(Pricing.per1k(1500, 3)).isEqualTo(5);  // 4.5 -> 5
    assertThat(Pricing.per1k(-500, 1)).isEqualTo(0);  // -0.5 -> 0 (half up = towards +infinity)
    assertThat(Pricing.per1k(-501, 1)).isEqualTo(-1);
  }

  @Test
  void givenUsageOfTwoModelsAndTools_whenPriced_itShouldListLinesInAFixedOrderAndCreditIncludedTokens() {
    List<InvoiceLine> lines = Pricing.price(PLAN, List.of(
        new UsageAggregate("tool_call", "", 3, 0, 0, 3),
        new UsageAggregate("llm", "small", 2, 1000, 400, 2),
        new UsageAggregate("llm", "big", 1, 2000, 1000, 1)));

    assertThat(lines).extracting(InvoiceLine::kind, InvoiceLine::model, InvoiceLine::quantity, InvoiceLine::amountMinor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("base_fee", null, 1L, 2900L),
            org.assertj.core.groups.Tuple.tuple("llm_input", "big", 2000L, 14L),
            org.assertj.core.groups.Tuple.tuple("llm_output", "big", 1000L, 21L),
            org.assertj.core.groups.Tuple.tuple("llm_input", "small", 1000L, 1L),
            org.assertj.core.groups.Tuple.tuple("llm_output", "small", 400L, 1L),
            org.assertj.core.groups.Tuple.tuple("tool_call", null, 3L, 6L),
            // 1500 included tokens: all from "big" input (1500 x 7 / 1000 = 10.5 -> 11)
            org.assertj.core.groups.Tuple.tuple("included_tokens", null, 1500L, -11L));
    assertThat(lines).extracting(InvoiceLine::lineNo).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(Pricing.subtotal(lines)).isEqualTo(2900 + 14 + 21 + 1 + 1 + 6);
    assertThat(Pricing.total(lines)).isEqualTo(2900 + 14 + 21 + 1 + 1 + 6 - 11);
  }

  @Test
  void givenTheSameUsageInAnotherOrder_whenPriced_itShouldGiveEqualLines() {
    List<UsageAggregate> usage = List.of(
        new UsageAggregate("llm", "a", 1, 10, 10, 1), new UsageAggregate("embedding", "e", 1, 99, 0, 1));
    assertThat(Pricing.price(PLAN, usage)).isEqualTo(Pricing.price(PLAN, List.of(usage.get(1), usage.get(0))));
  }
}
