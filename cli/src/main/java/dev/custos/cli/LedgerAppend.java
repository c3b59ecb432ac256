package dev.custos.cli;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.Receipt;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code custos ledger append}: appends entries read one per line from standard input to a
 * ledger directory that no server holds (the directory is locked), printing one receipt per line
 * once each entry is durable.
 */
@Command(name = "append", mixinStandardHelpOptions = true,
    description = {"Append entries, one per line of standard input (1..65535 bytes each), to a ledger directory",
        "while no server holds it. Prints '<index> <leaf hash>' per entry once it is durable."})
final class LedgerAppend implements Callable<Integer> {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The ledger directory.")
  Path dir;

  @Option(names = "--key", paramLabel = "FILE",
      description = "The PRIVATE+KEY signing key file (default: ../keys/ledger-signing.key beside DIR).")
  Path key;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path keyFile = key != null ? key : dir.toAbsolutePath().getParent().resolve("keys").resolve("ledger-signing.key");
    if (!Files.isRegularFile(keyFile)) {
      throw new UsageException("--key: no signing key file at " + keyFile);
    }
    PrintWriter out = spec.commandLine().getOut();
    int lineNumber = 0;
    try (Ledger ledger = Ledger.open(dir, LedgerOptions.of(NoteSigner.load(keyFile)));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        byte[] entry = line.getBytes(StandardCharsets.UTF_8);
        if (entry.length == 0 || entry.length > 65_535) {
          throw new UsageException("line " + lineNumber + ": an entry must be 1..65535 bytes, got " + entry.length
              + " (entries before it are recorded)");
        }
        Receipt r = ledger.append(entry);
        out.println(r.index() + " " + r.leafHash().base64());
        out.flush();
      }
    }
    return Main.OK;
  }
}
