package dev.custos.cli;

import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code custos serve}: runs Custos until SIGTERM or Ctrl-C, then stops cleanly and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Run Custos. By default: embedded PostgreSQL and development keys under the data directory,",
        "HTTP on 127.0.0.1:8080. SIGTERM or Ctrl-C stops it cleanly (exit 0)."})
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Mixin
  ConfigOptions options;

  @Override
  public Integer call() throws Exception {
    CustosConfig config = options.load();
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTerminate(stop::countDown);
    Custos custos = Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    Thread hook = new Thread(custos::close, "custos-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stop.await();
    log.info("stop requested");
    custos.close();
    return Main.OK;
  }
}
