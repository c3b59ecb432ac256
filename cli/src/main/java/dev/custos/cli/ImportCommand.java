package dev.custos.cli;

import dev.custos.server.Administration;
import dev.custos.server.CustosConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import dev.custos.access.CustomerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custos import FILE.jsonl}: customer records into the vault in bulk, one JSON object per
 * line, either straight into a data directory no server holds or into a running server over HTTP.
 *
 * <p>Each bad line is reported with its number and member and is not written; the rest goes on.
 * Re-importing a file writes nothing new (unchanged records are recognised by digest). After each
 * committed batch a checkpoint beside the file records how far the import got, so an import that
 * was stopped or killed continues where it stopped when run again.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import customer records from a JSON Lines file, one object per line:",
        "  {\"id\":\"cust-1001\",\"fields\":{\"email\":\"ada@example.com\",\"address\":{\"city\":\"Paris\"}}}",
        "Into the data directory (--data, default ./custos-data) while no server uses it, or into a running",
        "server with --url and a token of scope customers:write (--token-file FILE or the environment variable",
        "CUSTOS_TOKEN; never on the command line). Bad lines are reported (line number and field) and skipped;",
        "re-running writes nothing new; a stopped import resumes from its checkpoint FILE.custos-import.",
        "Exit 0 when every line was imported, 1 when a line failed or the import stopped, 2 for bad usage."})
final class ImportCommand implements Callable<Integer> {
  /** Batches written at once: enough to keep the JVM and the database busy together on a small machine. */
  static final int IN_FLIGHT = 2;
  /** How often a plain progress line is printed when standard error is not a terminal. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  @Mixin
  ConfigOptions options;

  @Parameters(paramLabel = "FILE", description = "The JSON Lines file (UTF-8; blank lines are skipped; at most 1 MiB a line).")
  Path file;

  @Option(names = "--url", paramLabel = "URL", description = "A running Custos server, e.g. http://127.0.0.1:8080, instead of --data.")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "With --url: a file holding the service token (else the environment variable CUSTOS_TOKEN).")
  Path tokenFile;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
      description = "Records per vault transaction and ledger entry, 1 to 500 (default 500); with --url, per checkpoint.")
  int batchSize;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
      description = "With --url: requests in flight, 1 to 64 (default 8).")
  int concurrency;

  @Option(names = "--restart", description = "Ignore the checkpoint and import from the first line.")
  boolean restart;

  @Spec
  CommandSpec spec;

  /** The environment, where CUSTOS_TOKEN is looked up; replaced in tests. */
  Map<String, String> environment = System.getenv();
  /** Stops the import (as a kill would) after this many committed batches; 0 never. For tests. */
  int stopAfterBatches;
  /** The first wait before an online request is retried; shortened in tests. */
  Duration firstBackoff = Duration.ofMillis(250);

  private volatile boolean stopRequested;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    checkUsage();
    ImportCheckpoint.FileIdentity identity = ImportCheckpoint.FileIdentity.of(file);
    try (ImportTarget target = openTarget()) {
      Path checkpointPath = ImportCheckpoint.pathFor(file.toAbsolutePath());
      ImportCheckpoint start = start(checkpointPath, identity, target, err);
      Run run = new Run(target, identity, checkpointPath, start, err);
      String stopped;
      // the first Ctrl-C stops after the batch being written, so that the checkpoint is exact; a second one ends at once
      try (AutoCloseable signals = Signals.during(() -> {
        if (stopRequested) {
          Runtime.getRuntime().halt(130);
        }
        stopRequested = true;
      })) {
        stopped = run.all();
      }
      out.println(run.summary(stopped));
      out.flush();
      if (stopped != null) {
        err.println("custos: the import stopped after line " + run.committed.line() + ": " + stopped
            + (run.checkpointWritten ? "; run the same command again to continue after that line"
                : "; run the same command again once the cause is fixed"));
        err.flush();
        return Main.FAILURE;
      }
      err.flush();
      return run.counts.failed() > 0 ? Main.FAILURE : Main.OK;
    }
  }

  private void checkUsage() {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("FILE " + file + " is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new UsageException("FILE " + file + " cannot be read");
    }
    if (batchSize < 1 || batchSize > dev.custos.access.Ingest.MAX_BATCH) {
      throw new UsageException("--batch-size must be 1 to " + dev.custos.access.Ingest.MAX_BATCH + ", not " + batchSize);
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new UsageException("--concurrency must be 1 to 64, not " + concurrency);
    }
    if (url == null && tokenFile != null) {
      throw new UsageException("--token-file is for --url; an import into --data needs no token");
    }
    if (url != null && (options.config != null || !options.flags().isEmpty())) {
      throw new UsageException("--url imports into a running server: it excludes --data, --config, --db-url, --bind and --port");
    }
  }

  private ImportTarget openTarget() throws Exception {
    if (url == null) {
      CustosConfig config = options.load();
      Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault());
      return new OfflineImport(admin, TokenCommand.operator(), "data:" + config.data().toAbsolutePath());
    }
    URI base = ServerTarget.base(url);
    return new OnlineImport(base, ServerTarget.token(tokenFile, environment, ""), concurrency, firstBackoff);
  }

  /** Where to begin: after the checkpoint if it is for this file and target, else at the first line. */
  private ImportCheckpoint start(Path checkpointPath, ImportCheckpoint.FileIdentity identity, ImportTarget target,
      PrintWriter err) {
    ImportCheckpoint fresh = new ImportCheckpoint(identity, target.name(), 0, 0, ImportCounts.ZERO);
    if (restart) {
      return fresh;
    }
    switch (ImportCheckpoint.read(checkpointPath)) {
      case ImportCheckpoint.None n -> {
        return fresh;
      }
      case ImportCheckpoint.Unreadable u -> {
        err.println("custos: ignoring the checkpoint " + checkpointPath + " (" + u.why() + "); importing from the first line");
        err.flush();
        return fresh;
      }
      case ImportCheckpoint.Usable usable -> {
        ImportCheckpoint c = usable.checkpoint();
        if (!c.file().equals(identity)) {
          err.println("custos: the checkpoint " + checkpointPath + " is for another version of " + file
              + " (size or first bytes differ); importing from the first line");
        } else if (!c.target().equals(target.name())) {
          err.println("custos: the checkpoint " + checkpointPath + " is for an import into " + c.target()
              + ", not " + target.name() + "; importing from the first line");
        } else {
          err.println("custos: resuming after line " + c.line() + " (checkpoint " + checkpointPath
              + "; --restart to import from the first line)");
          err.flush();
          return c;
        }
        err.flush();
        return fresh;
      }
    }
  }

  /**
   * One run of the import, from its starting checkpoint to the end of the file or a stop. The file
   * is read and parsed on the calling thread while up to {@value #IN_FLIGHT} batches are written,
   * so that parsing, the JVM's encryption and the database's inserts overlap. Batches complete in
   * file order: the checkpoint after a batch covers it and everything before it, and failed lines
   * are reported in line order.
   */
  private final class Run {
    private final ImportTarget target;
    private final ImportCheckpoint.FileIdentity identity;
    private final Path checkpointPath;
    private final ImportCheckpoint start;
    private final PrintWriter err;
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private long lastProgressNanos = startNanos;
    private final ExecutorService writers = Executors.newFixedThreadPool(IN_FLIGHT,
        Thread.ofPlatform().daemon().name("custos-import-batch-", 0).factory());
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    /** The counts up to {@link #committed}. */
    private ImportCounts counts;
    /** Everything up to here is committed or reported. */
    private ImportCheckpoint committed;
    private boolean checkpointWritten;
    private boolean checkpointWarned;
    private long lastLine;
    private long lastEnd;
    private int submitted;
    /** The batch being filled, and the lines refused while reading since the last batch was submitted. */
    private final List<ImportRecord> batch = new ArrayList<>();
    private final Set<CustomerId> idsInBatch = new HashSet<>();
    private final List<ImportTarget.Failed> refused = new ArrayList<>();

    /** A submitted batch: what it writes, the lines refused before it, and the place in the file after it. */
    private record Pending(Future<ImportTarget.Batch> result, List<ImportTarget.Failed> refused, Set<CustomerId> ids,
        long line, long end) {}

    Run(ImportTarget target, ImportCheckpoint.FileIdentity identity, Path checkpointPath, ImportCheckpoint start,
        PrintWriter err) {
      this.target = target;
      this.identity = identity;
      this.checkpointPath = checkpointPath;
      this.start = start;
      this.err = err;
      this.bar = ProgressBar.forTerminal(err);
      this.counts = start.counts();
      this.committed = start;
      this.lastLine = start.line();
      this.lastEnd = start.offset();
    }

    /** Imports the rest of the file; returns null at its end, else why it stopped. */
    String all() throws IOException, InterruptedException {
      try {
        String why = read();
        if (why == null) {
          why = submit();
        }
        if (why == null) {
          why = drain();
        }
        bar.done();
        if (why != null) {
          return why;
        }
        if (!refused.isEmpty()) {
          // refused lines after the last batch
          report(List.of(), refused);
          committed = new ImportCheckpoint(identity, target.name(), lastEnd, lastLine, counts);
        }
        try {
          Files.deleteIfExists(checkpointPath);
        } catch (IOException e) {
          err.println("custos: could not remove the checkpoint " + checkpointPath + ": " + e.getMessage()
              + "; remove it, or the next import of this file resumes at its end");
        }
        return null;
      } finally {
        writers.shutdownNow();
      }
    }

    private String read() throws IOException, InterruptedException {
      try (ImportLines lines = ImportLines.open(file, start.offset(), start.line())) {
        for (ImportLines.Line line = lines.next(); line != null; line = lines.next()) {
          switch (line) {
            case ImportLines.TooLong t -> refused.add(new ImportTarget.Failed(t.number(),
                "longer than " + ImportLines.MAX_LINE + " bytes"));
            case ImportLines.Text text when text.blank() -> { }
            case ImportLines.Text text -> {
              switch (ImportRecord.parse(text, target::knows)) {
                case ParsedLine.Rejected r -> refused.add(new ImportTarget.Failed(r.line(), r.why()));
                case ImportRecord record -> {
                  String why = admit(record);
                  if (why != null) {
                    return why;
                  }
                }
              }
            }
          }
          lastLine = line.number();
          lastEnd = line.end();
          if (batch.size() == batchSize) {
            String why = submit();
            if (why != null) {
              return why;
            }
          }
        }
      }
      return null;
    }

    /**
     * Adds a record to the batch. A customer already in this batch or one being written starts a
     * new batch after those are done, so that the lines of one customer apply in file order.
     */
    private String admit(ImportRecord record) throws InterruptedException {
      if (idsInBatch.contains(record.id())) {
        String why = submit();
        if (why != null) {
          return why;
        }
      }
      for (Pending p : inFlight) {
        if (p.ids().contains(record.id())) {
          String why = drain();
          if (why != null) {
            return why;
          }
          break;
        }
      }
      batch.add(record);
      idsInBatch.add(record.id());
      return null;
    }

    /**
     * Hands the batch to a writer (called only when every line read so far is in it or refused),
     * then waits while too many are in flight. Returns why the import must stop, or null.
     */
    private String submit() throws InterruptedException {
      if (batch.isEmpty()) {
        return null;
      }
      List<ImportRecord> records = List.copyOf(batch);
      inFlight.add(new Pending(writers.submit(() -> target.put(records)), List.copyOf(refused), Set.copyOf(idsInBatch),
          lastLine, lastEnd));
      batch.clear();
      idsInBatch.clear();
      refused.clear();
      submitted++;
      while (inFlight.size() >= IN_FLIGHT) {
        String why = completeOldest();
        if (why != null) {
          return abandon(why);
        }
      }
      if (stopAfterBatches > 0 && submitted == stopAfterBatches) {
        String why = drain();
        return why != null ? why : "stopped after " + submitted + " batches (test hook)";
      }
      if (stopRequested) {
        String why = drain();
        return why != null ? why : "interrupted";
      }
      return null;
    }

    /** Waits for every batch in flight, in order. */
    private String drain() throws InterruptedException {
      while (!inFlight.isEmpty()) {
        String why = completeOldest();
        if (why != null) {
          return abandon(why);
        }
      }
      return null;
    }

    /** After a failed batch, the later ones are waited for but not counted: the checkpoint stays before the failure. */
    private String abandon(String why) {
      for (Pending p : inFlight) {
        try {
          p.result().get();
        } catch (ExecutionException | InterruptedException | RuntimeException e) {
          // already stopping for the first failure
        }
      }
      inFlight.clear();
      return why;
    }

    private String completeOldest() throws InterruptedException {
      Pending p = inFlight.removeFirst();
      ImportTarget.Batch done;
      try {
        done = p.result().get();
      } catch (ExecutionException e) {
        bar.done();
        if (e.getCause() instanceof ImportTarget.ImportStopped stopped) {
          return stopped.getMessage();
        }
        org.slf4j.LoggerFactory.getLogger(ImportCommand.class).error("import batch failed", e.getCause());
        Throwable c = e.getCause();
        return Main.oneLine(c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()))
            + " (details in the log)";
      }
      report(done.lines(), p.refused());
      counts = counts.plusLedgerEntries(done.ledgerEntries());
      committed = new ImportCheckpoint(identity, target.name(), p.end(), p.line(), counts);
      writeCheckpoint();
      progress();
      return null;
    }

    /** Counts a batch's results and reports its failed lines and those refused before it, in line order. */
    private void report(List<ImportTarget.LineResult> results, List<ImportTarget.Failed> before) {
      List<ImportTarget.Failed> failed = new ArrayList<>(before);
      for (ImportTarget.LineResult r : results) {
        switch (r) {
          case ImportTarget.Stored s -> counts = counts.plus(s.outcome());
          case ImportTarget.Failed f -> failed.add(f);
        }
      }
      failed.sort(Comparator.comparingLong(ImportTarget.Failed::line));
      for (ImportTarget.Failed f : failed) {
        counts = counts.plusFailed();
        err.println("line " + f.line() + ": " + f.why());
      }
    }

    private void writeCheckpoint() {
      try {
        committed.write(checkpointPath);
        checkpointWritten = true;
      } catch (IOException e) {
        if (!checkpointWarned) {
          checkpointWarned = true;
          err.println("custos: cannot write the checkpoint " + checkpointPath + " (" + Main.oneLine(e.getMessage())
              + "); the import goes on but cannot resume if stopped (re-running it is still safe)");
        }
      }
    }

    private void progress() {
      long now = System.nanoTime();
      double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
      long rate = Math.round((committed.line() - start.line()) / seconds);
      if (bar.showing()) {
        bar.update(committed.offset(), identity.size(), "line " + committed.line() + ", " + rate + " lines/s");
      } else if (now - lastProgressNanos >= PROGRESS_EVERY.toNanos()) {
        lastProgressNanos = now;
        long percent = identity.size() == 0 ? 100 : committed.offset() * 100 / identity.size();
        err.println("import: line " + committed.line() + " (" + percent + "% of the file), " + counts.stored()
            + " customers, " + counts.failed() + " failed, " + rate + " lines/s");
        err.flush();
      }
    }

    String summary(String stopped) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      long handled = committed.line() - start.line();
      StringBuilder s = new StringBuilder();
      s.append(stopped == null ? "imported " : "partly imported ").append(file).append(" into ")
          .append(target.name().substring(target.name().indexOf(':') + 1)).append(": ")
          .append(counts.created()).append(" created, ").append(counts.updated()).append(" updated, ")
          .append(counts.unchanged()).append(" unchanged, ").append(counts.failed()).append(" failed lines; ")
          .append(counts.ledgerEntries()).append(" ledger entries; ")
          .append(String.format(Locale.ROOT, "%.1f s, %d lines/s", seconds, Math.round(handled / Math.max(seconds, 1e-9))));
      if (start.line() > 0) {
        s.append(" (resumed after line ").append(start.line()).append("; counts include the earlier run)");
      }
      return s.toString();
    }
  }
}
