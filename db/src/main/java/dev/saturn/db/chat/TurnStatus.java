package dev.saturn.db.chat;

public enum TurnStatus {
  RUNNING,
  COMPLETED,
  FAILED;

  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static TurnStatus fromDb(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
