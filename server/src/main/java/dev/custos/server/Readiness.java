package dev.custos.server;

import dev.custos.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Whether this instance can serve: its database answers and its ledger directory is usable. */
final class Readiness {
  private final Database database;
  private final Path ledgerDir;

  Readiness(Database database, Path ledgerDir) {
    this.database = database;
    this.ledgerDir = ledgerDir;
  }

  /** Each check's name and {@code "ok"} or what is wrong. */
  Map<String, String> check() {
    Map<String, String> checks = new LinkedHashMap<>();
    String db = database.problem(Duration.ofSeconds(2));
    checks.put("database", db == null ? "ok" : db);
    checks.put("ledger", ledgerProblem());
    return checks;
  }

  private String ledgerProblem() {
    if (!Files.isDirectory(ledgerDir)) {
      return "ledger directory " + ledgerDir + " does not exist";
    }
    if (!Files.isWritable(ledgerDir)) {
      return "ledger directory " + ledgerDir + " is not writable";
    }
    return "ok";
  }
}
