package dev.custos.cli;

import dev.custos.sim.Report;
import dev.custos.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos simulate}: the support-desk simulator of module {@code sim} against the real
 * detection engine, in process; prints each seed's table and writes the JSON and HTML reports.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate a support desk with one insider per attack scenario hidden among honest agents, against the",
        "real detection engine in process, and report how many real customers each insider saw before containment,",
        "how long containment took, false containments per agent-day and alert precision (docs/detection.md).",
        "Deterministic for a seed. With several --seed, each seed is simulated in turn; the table gives each seed",
        "and, at the end, the median and worst per scenario; --out then holds a JSON array of the per-seed reports.",
        "With --broker, every step goes through the real access broker instead: Custos starts in process on its",
        "embedded database and a simulated clock, and the desk logs in, takes tickets from the signed webhook and",
        "looks customers up over HTTP; what the broker refuses is not seen, and its own detector and containment",
        "stop people (slower: minutes for a small desk). --url plays it against a separately running server: first",
        "--prepare DIR (offline: the staff, a token, DIR/simulation.yaml and DIR/simulation-desk.json), then",
        "custos serve --config DIR/simulation.yaml, then --url URL --desk DIR/simulation-desk.json (one seed per",
        "prepared installation: its clock, moved by the simulator, never goes back).",
        "Exit 0 when the simulation ran, 2 for bad usage."})
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--agents", paramLabel = "N", defaultValue = "500", description = "Agents at the desk, 20 to 100000 (default 500).")
  int agents;

  @Option(names = "--days", paramLabel = "D", defaultValue = "30", description = "Days simulated, 21 to 365 (default 30).")
  int days;

  @Option(names = "--seed", paramLabel = "S", description = "A seed; repeat for several (default 7).")
  List<Long> seeds = new ArrayList<>();

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report as JSON (issue 6's shape) to FILE.")
  Path out;

  @Option(names = "--html", paramLabel = "FILE",
      description = "Write a self-contained HTML report (inline SVG charts, no scripts) to FILE.")
  Path html;

  @Option(names = "--thresholds", paramLabel = "A,S,T,U",
      description = "The detector's alert, step-up, throttle and suspend thresholds, as the server's "
          + "detection.thresholds (default 9.5,10,11.5,12); in-process detector only: with --broker or --url the "
          + "server's own setting decides.")
  String thresholds;

  @Option(names = "--broker", description = "Play every step through the real access broker of Custos in process (see above).")
  boolean broker;

  @Option(names = "--prepare", paramLabel = "DIR",
      description = "Prepare a simulation installation for --agents in DIR (new or empty) and exit; see above.")
  Path prepare;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "With --prepare: the port the prepared server listens on (default 8080).")
  int port;

  @Option(names = "--url", paramLabel = "URL", description = "Play the desk against the prepared server at URL (needs --desk).")
  java.net.URI url;

  @Option(names = "--desk", paramLabel = "FILE", description = "With --url: the desk file --prepare wrote.")
  Path deskFile;

  @Option(names = "--data", paramLabel = "DIR",
      description = "With --broker: keep Custos's data (ledger, database) in DIR, new or empty, instead of a temporary "
          + "directory deleted at the end; with several seeds, DIR/seed-S for each.")
  Path data;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (agents < 20 || agents > 100_000) {
      throw new UsageException("--agents must be 20 to 100000, not " + agents);
    }
    if (days < 21 || days > 365) {
      throw new UsageException("--days must be 21 to 365, not " + days);
    }
    if (data != null && !broker) {
      throw new UsageException("--data needs --broker");
    }
    dev.custos.detect.DetectionPolicy policy = dev.custos.detect.DetectionPolicy.defaults();
    if (thresholds != null) {
      if (broker || url != null || prepare != null) {
        throw new UsageException("--thresholds sets the in-process detector; with --broker, --url or --prepare the "
            + "server's detection.thresholds decides");
      }
      try {
        policy = dev.custos.server.ConfigLoader.detectionPolicy(thresholds);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--thresholds must be " + e.getMessage() + ", not '" + thresholds + "'");
      }
    }
    if (prepare != null) {
      if (broker || url != null || out != null || html != null || !seeds.isEmpty()) {
        throw new UsageException("--prepare only sets up an installation: give it with --agents (and --port) alone");
      }
      if (port < 1 || port > 65535) {
        throw new UsageException("--port must be 1 to 65535, not " + port);
      }
      return prepare();
    }
    if (url != null || deskFile != null) {
      if (url == null || deskFile == null) {
        throw new UsageException("--url and --desk go together");
      }
      if (broker) {
        throw new UsageException("--broker runs Custos in process; --url drives a running server: not both");
      }
      if (seeds.size() > 1) {
        throw new UsageException("--url plays one seed per prepared installation (its clock never goes back)");
      }
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
        throw new UsageException("--url must be an http:// or https:// URL, not " + url);
      }
      if (!Files.isRegularFile(deskFile)) {
        throw new UsageException("--desk " + deskFile + " does not exist");
      }
    }
    List<Long> chosen = seeds.isEmpty() ? List.of(7L) : List.copyOf(seeds);
    if (chosen.stream().distinct().count() != chosen.size()) {
      throw new UsageException("--seed names the same seed twice");
    }
    for (Path p : new Path[] {out, html}) {
      if (p != null) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
          throw new UsageException("the directory of " + p + " does not exist");
        }
        if (Files.isDirectory(p)) {
          throw new UsageException(p + " is a directory");
        }
      }
    }
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProgressBar bar = ProgressBar.forTerminal(err);
    List<Report> reports = new ArrayList<>();
    long total = (long) chosen.size() * days;
    for (int i = 0; i < chosen.size(); i++) {
      long seed = chosen.get(i);
      long before = (long) i * days;
      Simulation simulation = new Simulation(new Simulation.Settings(agents, days, seed), policy);
      java.util.function.IntConsumer progress = day -> bar.update(before + day, total, "seed " + seed + ", day " + day + "/"
          + days);
      Report r;
      if (broker || url != null) {
        Optional<Path> dir = data == null ? Optional.empty()
            : Optional.of(chosen.size() == 1 ? data : data.resolve("seed-" + seed));
        long t0 = System.nanoTime();
        try (BrokerDesk desk = url != null ? BrokerDesk.remote(url, deskFile, err) : BrokerDesk.inProcess(dir, err)) {
          desk.requireAgents(agents);
          try {
            r = simulation.run(desk, progress);
          } catch (Simulation.DeskException e) {
            throw new Simulation.DeskException(e.getMessage() + " (data and server log kept in " + desk.keep() + ")", e);
          }
          bar.done();
          long[] c = desk.statusCounts();
          err.printf("  %,d requests in %.0f s: %,d answered 2xx, %,d 4xx, %,d 5xx%n", c[1] + c[2] + c[3] + c[4] + c[5],
              (System.nanoTime() - t0) / 1e9, c[2], c[4], c[5]);
          err.flush();
        } catch (Simulation.DeskException e) {
          bar.done();
          err.println("custos simulate: " + e.getMessage());
          err.flush();
          return Main.FAILURE;
        }
      } else {
        r = simulation.run(progress);
      }
      reports.add(r);
      bar.done();
      stdout.print(r.toTable());
      stdout.println();
      stdout.flush();
    }
    if (reports.size() > 1) {
      stdout.print(SimulationSummary.table(reports));
    }
    if (out != null) {
      String json = reports.size() == 1 ? reports.getFirst().toJson()
          : "[" + String.join(", ", reports.stream().map(Report::toJson).toList()) + "]";
      write(out, json + "\n");
      stdout.println("JSON report: " + out);
    }
    if (html != null) {
      write(html, SimulationHtml.render(reports));
      stdout.println("HTML report: " + html);
    }
    stdout.flush();
    return Main.OK;
  }

  /** {@code --prepare}: a simulation installation for the desk of {@code --agents}. */
  private int prepare() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    Path desk;
    try {
      desk = BrokerDesk.prepare(prepare, new Simulation(new Simulation.Settings(agents, days, 7)).members(), port,
          spec.commandLine().getErr());
    } catch (UsageException | IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("could not prepare " + prepare + ": " + e.getMessage(), e);
    }
    Path dir = prepare.toAbsolutePath();
    stdout.println("Prepared a simulation installation for " + agents + " agents in " + dir + ".");
    stdout.println("1. Start it:  custos serve --config " + dir.resolve("simulation.yaml"));
    stdout.println("2. Play a desk against it (one seed per installation):");
    stdout.println("   custos simulate --url http://127.0.0.1:" + port + " --desk " + desk + " --agents " + agents
        + " --days " + days + " --seed 7");
    stdout.println("The desk file holds every simulated agent's second factor and a service token: keep it private.");
    stdout.flush();
    return Main.OK;
  }

  /** Writes through a temporary file renamed over the target, so a reader never sees half a report. */
  private static void write(Path file, String text) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
