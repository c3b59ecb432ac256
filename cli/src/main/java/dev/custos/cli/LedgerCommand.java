package dev.custos.cli;

import dev.custos.ledger.Checkpoint;
import dev.custos.ledger.Hash;
import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.TileReader;
import dev.custos.ledger.Verifier;
import dev.custos.ledger.VerifyResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code custos ledger}: verify a ledger, print its checkpoint, prove an entry's inclusion. */
@Command(name = "ledger", mixinStandardHelpOptions = true,
    description = "Inspect and verify a Custos ledger (C2SP tlog-tiles), from a directory or a server.",
    subcommands = {LedgerCommand.Verify.class, LedgerCommand.Show.class, LedgerCommand.Proof.class,
        LedgerAppend.class, LedgerVerifyEntry.class})
final class LedgerCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the log's signed checkpoint and checks its signature; a bad one is a finding (exit 1). */
  static SignedCheckpoint checkpoint(TileReader reader, NoteVerifier key) throws Exception {
    byte[] raw = reader.checkpoint().orElseThrow(() -> new LedgerFailure("the log has no checkpoint"));
    return parse(raw, key, bad -> new LedgerFailure("checkpoint: " + bad));
  }

  static SignedCheckpoint parse(byte[] raw, NoteVerifier key,
      java.util.function.Function<Parsed.Invalid<SignedCheckpoint>, RuntimeException> onInvalid) {
    return switch (SignedCheckpoint.parse(raw, key)) {
      case Parsed.Ok<SignedCheckpoint> ok -> ok.value();
      case Parsed.Invalid<SignedCheckpoint> bad -> throw onInvalid.apply(bad);
    };
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Recompute every hash from the entries, check every tile, the checkpoint's signature and,",
          "with --trusted, that the log extends a checkpoint you trust (no rollback, no fork).",
          "Exit 0 clean, 1 with the first bad index and what is wrong, 2 bad usage."})
  static final class Verify implements Callable<Integer> {
    @Mixin
    LogSource log;

    @Option(names = "--trusted", paramLabel = "CHECKPOINT_FILE",
        description = "A signed checkpoint you saved earlier; the log must extend it.")
    Path trusted;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      NoteVerifier key = log.verifier(err);
      Optional<Checkpoint> trustedCheckpoint = Optional.empty();
      if (trusted != null) {
        if (!Files.isRegularFile(trusted)) {
          throw new UsageException("--trusted " + trusted + " is not a file");
        }
        trustedCheckpoint = Optional.of(parse(Files.readAllBytes(trusted), key,
            bad -> new UsageException("--trusted " + trusted + ": " + bad)).checkpoint());
      }
      ProgressBar bar = ProgressBar.forTerminal(err);
      VerifyResult result = Verifier.verify(log.reader(), key, trustedCheckpoint, bar::update);
      bar.done();
      return switch (result) {
        case VerifyResult.Clean clean -> {
          out.println("ok: " + clean.checkpoint().size() + " entries verified; root " + clean.checkpoint().rootHash().base64()
              + "; origin " + clean.checkpoint().origin()
              + trustedCheckpoint.map(t -> "; extends the trusted checkpoint of size " + t.size()).orElse(""));
          out.flush();
          yield Main.OK;
        }
        case VerifyResult.Failure f -> {
          out.println("FAILED: " + f);
          out.flush();
          yield Main.FAILURE;
        }
      };
    }
  }

  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "Print the log's latest signed checkpoint after checking its signature.")
  static final class Show implements Callable<Integer> {
    @Mixin
    LogSource log;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      SignedCheckpoint cp = checkpoint(log.reader(), log.verifier(spec.commandLine().getErr()));
      spec.commandLine().getOut().print(cp.text());
      spec.commandLine().getOut().flush();
      return Main.OK;
    }
  }

  @Command(name = "proof", mixinStandardHelpOptions = true,
      description = {"Print and check the inclusion proof of the entry at --index in the tree of --size",
          "(default: the latest checkpoint's size)."})
  static final class Proof implements Callable<Integer> {
    @Mixin
    LogSource log;

    @Option(names = "--index", required = true, paramLabel = "I", description = "The entry's index.")
    long index;

    @Option(names = "--size", paramLabel = "N", description = "The tree size (at most the checkpoint's).")
    Long size;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      TileReader reader = log.reader();
      Checkpoint cp = checkpoint(reader, log.verifier(spec.commandLine().getErr())).checkpoint();
      long n = size == null ? cp.size() : size;
      if (n < 1 || n > cp.size()) {
        throw new UsageException("--size must be 1.." + cp.size() + " (the checkpoint's size), got " + n);
      }
      if (index < 0 || index >= n) {
        throw new UsageException("--index must be 0.." + (n - 1) + ", got " + index);
      }
      InclusionProof proof = reader.inclusionProof(index, n, cp.size());
      Hash leaf = dev.custos.ledger.Merkle.leafHash(reader.entry(index, cp.size()));
      Hash root = reader.rootHash(n, cp.size());
      boolean ok = proof.verifies(leaf, root) && (n != cp.size() || root.equals(cp.rootHash()));
      out.println("index " + index + " size " + n);
      out.println("leaf " + leaf.base64());
      out.println("root " + root.base64());
      proof.path().forEach(h -> out.println("path " + h.base64()));
      out.println(ok ? "ok: the proof verifies" : "FAILED: the proof does not verify");
      out.flush();
      return ok ? Main.OK : Main.FAILURE;
    }
  }

  /** The log is not what it should be; exit 1. */
  static final class LedgerFailure extends RuntimeException {
    LedgerFailure(String message) {
      super(message, null, false, false);
    }
  }
}
