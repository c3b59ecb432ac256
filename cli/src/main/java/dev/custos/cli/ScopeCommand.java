package dev.custos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.custos.server.Administration;
import dev.custos.server.ScopeDocuments;
import dev.custos.server.ScopeQuery;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos scope}: what a set of staff saw in a window, from the installation's access index
 * (caught up with the ledger first). Runs while no server holds the data directory; the read is
 * recorded in the ledger ({@code custos.incident/v1} {@code scope.read}) before anything is printed.
 * With a server running, ask it instead: {@code GET /v1/scope} as a security analyst.
 */
@Command(name = "scope", mixinStandardHelpOptions = true,
    description = {"The customers whose data the named staff saw in a window: fields (masked or revealed), first and "
        + "last access, staff, accesses, and counts by data category.",
        "Reads <data>/index (building it from the ledger if needed) while no Custos server uses the data directory; "
            + "with a server running use GET /v1/scope. The read is recorded in the ledger."})
final class ScopeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin
  ConfigOptions options;

  @Option(names = "--staff", required = true, paramLabel = "ID[,ID...]", description = "The staff to scope, comma-separated.")
  String staff;

  @Option(names = "--from", required = true, paramLabel = "ISO",
      description = "The window's start, inclusive: 2026-11-01T00:00:00Z or 2026-11-01 (midnight UTC).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "ISO", description = "The window's end, exclusive.")
  String to;

  @Option(names = "--format", paramLabel = "json|csv", defaultValue = "json",
      description = "json (default: the scope with counts by category and field) or csv (one row per customer; the "
          + "counts by category go to standard error).")
  String format;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ScopeQuery query;
    try {
      query = ScopeQuery.parse(staff, from, to);
    } catch (ScopeQuery.Invalid e) {
      throw new UsageException("--" + e.getMessage());
    }
    if (!format.equals("json") && !format.equals("csv")) {
      throw new UsageException("--format must be json or csv, not '" + format + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Administration admin = TokenCommand.open(options)) {
      admin.scope(query, TokenCommand.operator(), (scope, customers) -> {
        if (format.equals("csv")) {
          out.print(ScopeDocuments.csv(scope, customers));
          err.println("customers by data category: " + String.join(", ", ScopeDocuments.categoryLines(scope)));
        } else {
          try {
            out.println(JSON.writeValueAsString(ScopeDocuments.json(scope, customers)));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the scope could not be written as JSON", e);
          }
        }
        err.println(scope.exposures().size() + " customers, " + scope.accesses() + " accesses; index covers "
            + scope.coveredSize() + " ledger entries");
      });
    }
    out.flush();
    err.flush();
    return Main.OK;
  }
}
