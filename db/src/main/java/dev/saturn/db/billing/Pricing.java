package dev.saturn.db.billing;

import dev.saturn.db.usage.UsageKinds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prices a period's aggregated usage with a plan. Pure and deterministic: the same plan and
 * aggregates give the same lines in the same order.
 *
 * <p>Rounding rule: every line's amount is computed in integer arithmetic as
 * {@code quantity × unit price}, divided by 1000 for token lines and rounded half up (towards
 * positive infinity at exactly .5), once per line; the total is the sum of the rounded lines.
 * Nothing is rounded per event. The plan's included tokens are taken from the token lines in line
 * order, and credited in one line whose amount is minus the rounded price of the tokens taken
 * from each line.
 */
public final class Pricing {

  public static final String BASE_FEE = "base_fee";
  public static final String LLM_INPUT = "llm_input";
  public static final String LLM_OUTPUT = "llm_output";
  public static final String EMBEDDING = "embedding";
  public static final String TOOL_CALL = "tool_call";
  public static final String INCLUDED_TOKENS = "included_tokens";
  public static final String OTHER = "other";

  private Pricing() {}

  public static List<InvoiceLine> price(Plan plan, List<UsageAggregate> usage) {
    List<UsageAggregate> sorted = new ArrayList<>(usage);
    sorted.sort(Comparator.comparing(UsageAggregate::kind).thenComparing(UsageAggregate::model));
    List<Draft> lines = new ArrayList<>();
    if (plan.baseFeeMinor() != 0) {
      lines.add(new Draft(BASE_FEE, "Base fee, plan " + plan.name(), null, "month", 1, plan.baseFeeMinor(), false));
    }
    for (UsageAggregate a : sorted) {
      String model = a.model().isEmpty() ? null : a.model();
      ModelPrice price = plan.priceOf(model);
      switch (a.kind()) {
        case UsageKinds.LLM -> {
          addTokens(lines, LLM_INPUT, "Input tokens, " + nameOf(model), model, a.inputTokens(), price.inputPer1kMinor());
          addTokens(lines, LLM_OUTPUT, "Output tokens, " + nameOf(model), model, a.outputTokens(), price.outputPer1kMinor());
        }
        case UsageKinds.EMBEDDING -> addTokens(
            lines, EMBEDDING, "Embedding tokens, " + nameOf(model), model, a.inputTokens() + a.outputTokens(),
            price.inputPer1kMinor());
        case UsageKinds.TOOL_CALL -> {
          if (a.quantity() != 0) {
            lines.add(new Draft(TOOL_CALL, "Tool calls" + (model == null ? "" : ", " + model), model, "call",
                a.quantity(), plan.toolCallPriceMinor(), false));
          }
        }
        default -> {
          if (a.quantity() != 0) {
            lines.add(new Draft(OTHER, "Unpriced usage: " + a.kind() + (model == null ? "" : ", " + model), model,
                "unit", a.quantity(), 0, false));
          }
        }
      }
    }
    long remaining = Math.max(0, plan.includedTokens());
    long covered = 0;
    long credit = 0;
    for (Draft line : lines) {
      if (!line.tokens() || remaining == 0 || line.quantity() <= 0) {
        continue;
      }
      long take = Math.min(remaining, line.quantity());
      remaining -= take;
      covered += take;
      credit += per1k(take, line.unitPriceMinor());
    }
    if (covered > 0) {
      lines.add(new Draft(INCLUDED_TOKENS, "Included tokens of plan " + plan.name(), null, "tokens", covered, 0, false,
          -credit));
    }
    List<InvoiceLine> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Draft d = lines.get(i);
      out.add(new InvoiceLine(i + 1, d.kind(), d.description(), d.model(), d.unit(), d.quantity(), d.unitPriceMinor(),
          d.amount()));
    }
    return out;
  }

  /** {@code round_half_up(tokens × pricePer1k / 1000)} in exact integer arithmetic. */
  public static long per1k(long tokens, long pricePer1k) {
    return Math.floorDiv(Math.addExact(Math.multiplyExact(tokens, pricePer1k), 500), 1000);
  }

  public static long total(List<InvoiceLine> lines) {
    return lines.stream().mapToLong(InvoiceLine::amountMinor).reduce(0, Math::addExact);
  }

  /** Everything before credits: base fee and usage. */
  public static long subtotal(List<InvoiceLine> lines) {
    return lines.stream().filter(l -> !INCLUDED_TOKENS.equals(l.kind()))
        .mapToLong(InvoiceLine::amountMinor).reduce(0, Math::addExact);
  }

  private static void addTokens(List<Draft> lines, String kind, String description, String model, long tokens, long price) {
    if (tokens != 0) {
      lines.add(new Draft(kind, description, model, "1k_tokens", tokens, price, true));
    }
  }

  private static String nameOf(String model) {
    return model == null ? "unknown model" : model;
  }

  /** A line before numbering; {@code fixedAmount} is set only for the credit line. */
  private record Draft(
      String kind, String description, String model, String unit, long quantity, long unitPriceMinor, boolean tokens,
      Long fixedAmount) {

    Draft(String kind, String description, String model, String unit, long quantity, long unitPriceMinor, boolean tokens) {
      this(kind, description, model, unit, quantity, unitPriceMinor, tokens, null);
    }

    long amount() {
      if (fixedAmount != null) {
        return fixedAmount;
      }
      return tokens ? per1k(quantity, unitPriceMinor) : Math.multiplyExact(quantity, unitPriceMinor);
    }
  }
}
