package dev.saturn.db.identity;

/** A user's role inside a company, from most to least privileged. */
public enum Role {
  OWNER,
  ADMIN,
  DEVELOPER,
  VIEWER;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Role fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
