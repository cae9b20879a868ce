package dev.saturn.app.runtime.temporal;

/** Which Temporal server this process talks to, and whether it runs that server itself. */
public enum TemporalMode {
  /** {@link #DEV_SERVER} when the {@code temporal} CLI can be found, else {@link #EMBEDDED}. */
  AUTO,
  /**
   * The in-process Java test server: zero install, but state lives in memory only and it has no
   * Schedules and no visibility (list/count) API. For tests and first steps, never for real work.
   */
  EMBEDDED,
  /**
   * {@code temporal server start-dev} supervised as a child process: a real single-process server
   * with SQLite persistence under the data dir, Schedules, visibility and the Web UI.
   */
  DEV_SERVER,
  /** A server run elsewhere (self-hosted cluster or Temporal Cloud), reached at a target. */
  EXTERNAL
}
