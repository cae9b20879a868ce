package dev.saturn.app.runtime.database;

import java.nio.file.Path;

/** Starts and stops the embedded MariaDB in a JVM of its own, which then exits (shutdown hooks run). */
public final class EmbeddedMariaDbRun {

  private EmbeddedMariaDbRun() {}

  public static void main(String[] args) {
    try (EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(args[0]), 0)) {
      System.out.println("started " + db.jdbcUrl());
    }
  }
}
