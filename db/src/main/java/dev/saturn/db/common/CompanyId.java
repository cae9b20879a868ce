package dev.saturn.db.common;

import java.util.Objects;

/** The tenant every repository call is scoped to; a distinct type so it cannot be swapped with another id. */
public record CompanyId(String value) {

  public CompanyId {
    Objects.requireNonNull(value, "company id");
    if (value.isBlank()) {
      throw new IllegalArgumentException("company id is blank");
    }
  }

  public static CompanyId of(String value) {
    return new CompanyId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
