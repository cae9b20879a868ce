package dev.saturn.db.billing;

/** A model's token prices in minor currency units per 1000 tokens. */
public record ModelPrice(long inputPer1kMinor, long outputPer1kMinor) {

  public static final ModelPrice FREE = new ModelPrice(0, 0);

  public ModelPrice {
    if (inputPer1kMinor < 0 || outputPer1kMinor < 0) {
      throw new IllegalArgumentException("prices must not be negative");
    }
  }
}
