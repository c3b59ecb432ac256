package dev.custos.cli;

import dev.custos.server.Administration;
import dev.custos.vault.KeyCensus;
import dev.custos.vault.RotationReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos keys}: the vault's keys. {@code status} counts customers under each key-encryption
 * key; {@code rotate-kek} makes a new primary KEK and keeps the old one, so a server started
 * afterwards reads everything and rewraps in the background; {@code rewrap} and
 * {@code rotate-data-keys} do the work offline, batch after batch, with progress. All run while no
 * server holds the data directory (docs/operations.md, "Rotating keys").
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = {"The vault's keys: status, a new key-encryption key, rewrapping, new data keys.",
        "Runs while no Custos server uses the data directory. A running server rewraps and rotates in the "
            + "background (vault.* settings)."},
    subcommands = {KeysCommand.Status.class, KeysCommand.RotateKek.class, KeysCommand.Rewrap.class,
        KeysCommand.RotateDataKeys.class})
final class KeysCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "The key-encryption keys in force and how many customers' data keys each wraps.")
  static final class Status implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Administration admin = TokenCommand.open(options)) {
        Administration.KeyStatus s = admin.keyStatus();
        PrintWriter out = spec.commandLine().getOut();
        int primary = s.kekIds().get(0);
        KeyCensus c = s.census();
        out.println("key-encryption keys: " + primary + " (primary)"
            + (s.kekIds().size() > 1 ? ", older " + s.kekIds().subList(1, s.kekIds().size()) : ""));
        out.println("customers: " + c.customers());
        for (Map.Entry<Integer, Long> e : c.byKek().entrySet()) {
          String note = e.getKey() == primary ? "" : s.kekIds().contains(e.getKey())
              ? " (to rewrap)" : " (KEK NOT CONFIGURED: these customers cannot be read)";
          out.println("  under kek " + e.getKey() + ": " + e.getValue() + note);
        }
        out.println("data-key rotations under way: " + c.rotating());
        out.flush();
        return c.byKek().keySet().stream().allMatch(s.kekIds()::contains) ? Main.OK : Main.FAILURE;
      }
    }
  }

  @Command(name = "rotate-kek", mixinStandardHelpOptions = true,
      description = {"Make a new primary key-encryption key in <data>/keys (mode 0600); the current one is kept as "
          + "vault-kek.<id>.key.",
          "Start the server afterwards: it reads keysets under either key and rewraps them in the background "
              + "(or run 'custos keys rewrap'). Delete the old file only when 'custos keys status' shows no customer "
              + "under it."})
  static final class RotateKek implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      int[] ids = Administration.rotateKek(options.load());
      PrintWriter out = spec.commandLine().getOut();
      out.println("new primary key-encryption key " + ids[1] + "; key " + ids[0] + " kept as vault-kek." + ids[0]
          + ".key until every keyset is rewrapped");
      out.flush();
      return Main.OK;
    }
  }

  @Command(name = "rewrap", mixinStandardHelpOptions = true,
      description = "Rewrap every data keyset still under an older key-encryption key under the primary, now.")
  static final class Rewrap implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
        description = "Customers per batch, 1-10000 (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      checkBatch(batchSize);
      try (Administration admin = TokenCommand.open(options)) {
        RotationReport r = admin.rewrapKeys(batchSize, progress(spec.commandLine().getErr()));
        return report(spec.commandLine().getOut(), "keysets rewrapped", r);
      }
    }
  }

  @Command(name = "rotate-data-keys", mixinStandardHelpOptions = true,
      description = {"Give every customer a new data key and re-encrypt their fields under it, now, batch after batch.",
          "An interrupted run is finished by the next one (or by a server's background rotation)."})
  static final class RotateDataKeys implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
        description = "Customers per batch, 1-10000 (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      checkBatch(batchSize);
      try (Administration admin = TokenCommand.open(options)) {
        RotationReport r = admin.rotateDataKeys(batchSize, progress(spec.commandLine().getErr()));
        return report(spec.commandLine().getOut(), "customers given a new data key", r);
      }
    }
  }

  private static void checkBatch(int n) {
    if (n < 1 || n > 10_000) {
      throw new UsageException("--batch-size must be 1 to 10000, not " + n);
    }
  }

  private static java.util.function.Consumer<RotationReport> progress(PrintWriter err) {
    return r -> {
      err.println("  ... " + r.customers() + " customers done, " + r.fields() + " fields re-encrypted, " + r.failed()
          + " failed");
      err.flush();
    };
  }

  private static int report(PrintWriter out, String what, RotationReport r) {
    out.println(r.customers() + " " + what + "; " + r.fields() + " fields re-encrypted; " + r.failed()
        + " customers could not be done (see 'custos keys status')");
    out.flush();
    return r.failed() == 0 ? Main.OK : Main.FAILURE;
  }
}
