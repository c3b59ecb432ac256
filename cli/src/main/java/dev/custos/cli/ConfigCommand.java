package dev.custos.cli;

import dev.custos.server.CustosConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code custos config print}: the effective configuration, secrets redacted. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Inspect the configuration.",
    subcommands = {ConfigCommand.Print.class})
final class ConfigCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "print", mixinStandardHelpOptions = true,
      description = {"Print the effective configuration as YAML, each value with its source; secrets are redacted.",
          "Precedence: flag > environment (CUSTOS_*) > file (--config) > default."})
  static final class Print implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      CustosConfig config = options.load();
      spec.commandLine().getOut().print(config.describe());
      spec.commandLine().getOut().flush();
      return Main.OK;
    }
  }
}
