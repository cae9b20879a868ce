package dev.saturn.api.billing;

/**
 * A company's billable tokens this month against its plan's monthly quota ({@code null}: none).
 */
public record QuotaStatus(String period, Long quota, long used) {

  public boolean limited() {
    return quota != null;
  }

  public boolean exceeded() {
    return quota != null && used >= quota;
  }

  public long remaining() {
    return quota == null ? Long.MAX_VALUE : Math.max(0, quota - used);
  }

  /** Share of the quota used, in whole percent (0 without a quota). */
  public int percentUsed() {
    if (quota == null || quota <= 0) {
      return quota == null ? 0 : 100;
    }
    return (int) Math.min(100, used * 100 / quota);
  }
}
