package dev.custos.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import dev.custos.cli.demo.Narrator;
import dev.custos.cli.demo.Scene;
import dev.custos.cli.demo.Story;
import dev.custos.server.ConfigLoader;
import dev.custos.server.CustosConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custos demo}: Custos on a fresh temporary data directory, told step by step. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Start Custos on a fresh temporary data directory and show, step by step, what it does.",
        "Exits 0 when every step behaved as told, 1 otherwise. The server log goes to <dir>/custos.log."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port for the demo instance (default: any free port).")
  String port = "0";

  @Option(names = "--keep", description = "Keep the temporary directory afterwards (it is deleted by default).")
  boolean keep;

  @Option(names = "--serve", description = "Keep the instance running after the story, until Ctrl-C.")
  boolean serve;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("custos-demo-");
    redirectLogs(dir.resolve("custos.log"));
    // A concrete port from the start, so the first line can tell where the console will be.
    String chosenPort = port;
    if ("0".equals(port)) {
      try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
        chosenPort = Integer.toString(free.getLocalPort());
      }
    }
    CustosConfig config = ConfigLoader.load(Map.of("data", dir.resolve("data").toString(), "http.port", chosenPort),
        Map.of(), null, dir);
    PrintWriter out = spec.commandLine().getOut();
    Narrator narrator = new Narrator(out);
    narrator.title("Console: http://" + (config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind()) + ":"
        + config.port() + "/console - demo logins alice (support agent) and sam (security analyst); their password "
        + "and a one-time recovery code each are printed when the story adds them" + (serve ? "." : " (add --serve to "
        + "keep the console open after the story)."));
    narrator.title("Custos demo: one instance on a throwaway data directory (" + dir + ").");
    narrator.title("Server log: " + dir.resolve("custos.log"));
    boolean ok;
    try (Scene scene = new Scene(narrator, config)) {
      ok = Story.standard().play(scene);
      if (ok && serve) {
        narrator.title("");
        narrator.title("Custos keeps running at " + scene.custos().baseUri() + " - press Ctrl-C to stop.");
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        stop.await();
      }
    }
    out.println();
    out.println(ok ? "The demo ran to the end: every step behaved as told." : "The demo stopped at a failed step.");
    if (keep || !ok) {
      out.println("Data and log kept in " + dir);
    } else {
      deleteTree(dir);
    }
    out.flush();
    return ok ? Main.OK : Main.FAILURE;
  }

  /** Sends the server's log to a file so that the story stays readable on the terminal. */
  static void redirectLogs(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger{0} - %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setName("demo-file");
    appender.setFile(file.toString());
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
