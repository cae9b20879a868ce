package dev.saturn.db.billing;

import java.util.Map;

/**
 * A price list and its limits. Money is in integer minor units of {@code currency}; token prices
 * are per 1000 tokens, by model, with {@code "*"} pricing every model not named.
 *
 * @param monthlyTokenQuota billable tokens a company may use per month before new turns are
 *     refused; {@code null} means no quota
 */
public record Plan(
    String id,
    String name,
    String currency,
    long baseFeeMinor,
    long includedTokens,
    Long monthlyTokenQuota,
    long toolCallPriceMinor,
    Map<String, ModelPrice> modelPrices) {

  public static final String ANY_MODEL = "*";

  public Plan {
    modelPrices = Map.copyOf(modelPrices);
  }

  public ModelPrice priceOf(String model) {
    ModelPrice price = model == null ? null : modelPrices.get(model);
    return price != null ? price : modelPrices.getOrDefault(ANY_MODEL, ModelPrice.FREE);
  }
}
