package dev.custos.cli;

import dev.custos.ledger.LedgerException;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.TrustedLog;
import dev.custos.ledger.Witness;
import dev.custos.ledger.WitnessServer;
import dev.custos.server.StartupException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos witness}: a C2SP tlog-witness that cosigns a log's checkpoints only while the log
 * stays append-only, meant to run on a machine the log's operator does not control. Runs until
 * SIGTERM or Ctrl-C, then stops cleanly and exits 0. See docs/design/witness.md.
 */
@Command(name = "witness", mixinStandardHelpOptions = true,
    description = {"Run a transparency-log witness (C2SP tlog-witness, tlog-cosignature/v1).",
        "It cosigns a log's checkpoint only if it extends the last one it cosigned,",
        "and keeps evidence of any fork it is shown. Run it where the log's operator",
        "has no control. Serves POST /add-checkpoint, GET /checkpoint/<origin>, GET /vkey.",
        "SIGTERM or Ctrl-C stops it (exit 0). Data directory: witness.key (secret,",
        "created on first start), witness.vkey, logs.conf, logs/, evidence/."})
final class WitnessCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(WitnessCommand.class);

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "The witness's data directory (its key, trusted logs and cosigned state); keep it and back it up.")
  Path data;

  @Option(names = "--port", required = true, paramLabel = "N", description = "TCP port, 0 for any free port.")
  int port;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Name of a new witness key, e.g. witness.auditor.example/custos (default "
          + "<hostname>/custos-witness); must match an existing key's name.")
  String name;

  @Option(names = "--log", paramLabel = "VKEY",
      description = "Trust a log: its verifier key (ledger.vkey), followed by a space and the origin if that is "
          + "not the key name. Repeatable; kept in DIR/logs.conf.")
  List<String> logs = new ArrayList<>();

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0 to 65535, got " + port);
    }
    if (Files.exists(data) && !Files.isDirectory(data)) {
      throw new UsageException("--data " + data + " is not a directory");
    }
    List<TrustedLog> trusted = new ArrayList<>();
    for (String vkey : logs) {
      switch (TrustedLog.parse(vkey)) {
        case Parsed.Ok<TrustedLog> ok -> trusted.add(ok.value());
        case Parsed.Invalid<TrustedLog> bad -> throw new UsageException("--log " + Main.oneLine(vkey) + ": " + bad);
      }
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new UsageException("--bind " + bind + " is not an address of this machine");
    }
    NoteSigner key = key();
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTerminate(stop::countDown);
    Witness witness;
    try {
      witness = Witness.open(data, key, InstantSource.system());
    } catch (LedgerException e) {
      throw new StartupException(e.getMessage(), e);
    }
    WitnessServer server = null;
    try {
      for (TrustedLog t : trusted) {
        witness.trust(t);
      }
      try {
        server = WitnessServer.start(witness, new InetSocketAddress(address, port));
      } catch (IOException e) {
        throw new StartupException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
      }
      out.println("witness " + witness.verifierKey().encoded());
      out.println("listening on " + server.url());
      if (witness.trustedLogs().isEmpty()) {
        out.println("trusting no log yet: add one with --log VKEY (it is kept in " + data.resolve("logs.conf") + ")");
      }
      for (TrustedLog t : witness.trustedLogs()) {
        out.println("log " + t.origin() + " " + t.key().encoded());
      }
      out.flush();
      WitnessServer running = server;
      Thread hook = new Thread(() -> {
        running.close();
        witness.close();
      }, "custos-witness-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      stop.await();
      log.info("stop requested");
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is exiting anyway; the hook closes everything
      }
      return Main.OK;
    } finally {
      if (server != null) {
        server.close();
      }
      witness.close();
    }
  }

  /** Loads DIR/witness.key or creates it named --name; a --name that differs from the key's is bad usage. */
  private NoteSigner key() throws StartupException {
    String wanted = name != null ? name : defaultName();
    NoteSigner key;
    try {
      key = Witness.loadOrCreateKey(data, wanted, new SecureRandom());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--name " + wanted + ": " + e.getMessage());
    } catch (LedgerException e) {
      throw new StartupException(e.getMessage(), e);
    }
    if (name != null && !name.equals(key.name())) {
      throw new UsageException("--name " + name + " differs from the name of the existing witness key in "
          + data.resolve("witness.key") + " (" + key.name() + "); a witness keeps its key and name");
    }
    return key;
  }

  private static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host.replaceAll("[^A-Za-z0-9.-]", "-") + "/custos-witness";
  }
}
