package dev.saturn.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time consumed by the processes that serve a turn: this JVM (application, worker, embedded
 * Temporal test server, benchmark client), the MariaDB server, and the Temporal dev server when one
 * runs. On a shared, noisy machine wall-clock latency mostly measures the neighbours; CPU time per
 * turn is what the platform itself costs, and it is far less sensitive to them.
 *
 * <p>Linux only for the child processes ({@code /proc/<pid>/stat}); elsewhere they read as 0.
 */
final class CpuMeter {

  /** Clock ticks per second of /proc/<pid>/stat's utime and stime; 100 on every Linux we run on. */
  private static final long TICKS_PER_SECOND = 100;

  private CpuMeter() {}

  /** CPU time of this JVM, all threads. */
  static long jvmNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /**
   * CPU time of this JVM's JIT compiler threads (C1/C2). Reported apart from the per-turn cost: it
   * is a warm-up cost that a long-running server pays once, but on a starved machine the compile
   * queue takes minutes to drain and would otherwise be charged to whichever mode runs meanwhile.
   */
  static long jitNanos() {
    long total = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
        } catch (IOException threadEnded) {
          continue;
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
          total += ticksOf(stat);
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return total * 1_000_000_000L / TICKS_PER_SECOND;
  }

  /** The first descendant of this JVM whose command line contains every one of {@code parts}. */
  static Optional<Long> findChild(List<String> parts) {
    return ProcessHandle.current().descendants()
        .filter(p -> {
          String command = commandLine(p.pid());
          return parts.stream().allMatch(command::contains);
        })
        .map(ProcessHandle::pid)
        .findFirst();
  }

  /** user + system CPU time of a process, in nanoseconds; 0 if it cannot be read. */
  static long processNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      return ticksOf(stat) * 1_000_000_000L / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** utime + stime (fields 14 and 15) of a /proc stat line. */
  private static long ticksOf(String stat) {
    // The command name (field 2) is in parentheses and may contain spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
