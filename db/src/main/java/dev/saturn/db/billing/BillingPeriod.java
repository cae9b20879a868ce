package dev.saturn.db.billing;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** A billing period: one UTC calendar month, written {@code YYYY-MM}. */
public record BillingPeriod(YearMonth month) implements Comparable<BillingPeriod> {

  private static final Pattern FORMAT = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
  private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("uuuu-MM");

  public BillingPeriod {
    if (month == null || month.getYear() < 2000 || month.getYear() > 9999) {
      throw new IllegalArgumentException("billing period out of range: " + month);
    }
  }

  /** The period {@code text} names, or empty when it is not {@code YYYY-MM} (years 2000–9999). */
  public static Optional<BillingPeriod> parse(String text) {
    if (text == null || !FORMAT.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      YearMonth month = YearMonth.parse(text, TEXT);
      return month.getYear() < 2000 ? Optional.empty() : Optional.of(new BillingPeriod(month));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  public static BillingPeriod of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not a billing period (YYYY-MM): " + text));
  }

  /** The period an instant falls in (UTC). */
  public static BillingPeriod containing(Instant instant) {
    return new BillingPeriod(YearMonth.from(instant.atZone(ZoneOffset.UTC)));
  }

  /** First instant of the period (inclusive). */
  public Instant start() {
    return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** First instant after the period (exclusive). */
  public Instant end() {
    return next().start();
  }

  public BillingPeriod next() {
    return new BillingPeriod(month.plusMonths(1));
  }

  public BillingPeriod previous() {
    return new BillingPeriod(month.minusMonths(1));
  }

  @Override
  public int compareTo(BillingPeriod other) {
    return month.compareTo(other.month);
  }

  @Override
  public String toString() {
    return month.format(TEXT);
  }
}
