package dev.saturn.db.webhooks;

import java.util.Arrays;

/** Where a delivery stands: retrying until it is delivered, gives up, or its endpoint goes away. */
public enum DeliveryStatus {
  /** Waiting for its first or next attempt. */
  PENDING("pending"),
  DELIVERED("delivered"),
  /** Every attempt of the retry schedule failed, or the endpoint answered 410 Gone. */
  FAILED("failed"),
  /** The endpoint was disabled or deleted before the delivery succeeded. */
  CANCELLED("cancelled");

  private final String dbValue;

  DeliveryStatus(String dbValue) {
    this.dbValue = dbValue;
  }

  public String dbValue() {
    return dbValue;
  }

  public static DeliveryStatus fromDb(String value) {
    return Arrays.stream(values()).filter(s -> s.dbValue.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown delivery status " + value));
  }
}
