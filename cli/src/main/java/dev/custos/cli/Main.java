package dev.custos.cli;

import dev.custos.server.ConfigException;
import dev.custos.server.StartupException;
import dev.custos.server.Version;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code custos} command. Exit codes: 0 ok, 1 a failure found or Custos could not run, 2 bad
 * usage or input (one line naming what is wrong). Never a stack trace to the user.
 */
@Command(name = "custos",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Guards customer data at a crypto exchange against its own insiders.",
    subcommands = {ServeCommand.class, DemoCommand.class, SimulateCommand.class, ImportCommand.class, LedgerCommand.class, TokenCommand.class, StaffCommand.class, ConfigCommand.class,
        KeysCommand.class, WitnessCommand.class, ScopeCommand.class, AttributeCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 failure, 2 bad usage or input.", "Documentation: docs/ in the repository."})
public final class Main implements Runnable {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (for tests and {@link #main}). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The command line whose commands {@code factory} makes (tests hand in prepared commands). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    CommandLine cl = new CommandLine(new Main(), factory);
    cl.setParameterExceptionHandler(Main::badUsage);
    cl.setExecutionExceptionHandler(Main::failed);
    cl.setExitCodeExceptionMapper(e -> FAILURE);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int badUsage(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("custos: " + oneLine(e.getMessage()) + " (see 'custos "
        + qualifiedName(e.getCommandLine()) + "--help')");
    err.flush();
    return USAGE;
  }

  private static String qualifiedName(CommandLine cl) {
    String name = cl.getCommandSpec().qualifiedName(" ");
    String rest = name.startsWith("custos") ? name.substring("custos".length()).strip() : name;
    return rest.isEmpty() ? "" : rest + " ";
  }

  private static int failed(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof ConfigException ce) {
      err.println("custos: " + oneLine(ce.getMessage()));
      err.flush();
      return USAGE;
    }
    if (e instanceof UsageException ue) {
      err.println("custos: " + oneLine(ue.getMessage()));
      err.flush();
      return USAGE;
    }
    if (e instanceof LedgerCommand.LedgerFailure lf) {
      err.println("custos: " + oneLine(lf.getMessage()));
      err.flush();
      return FAILURE;
    }
    if (e instanceof dev.custos.ledger.LedgerException le) {
      err.println("custos: cannot read the ledger: " + oneLine(le.getMessage()));
      err.flush();
      return FAILURE;
    }
    if (e instanceof StartupException se) {
      err.println("custos: cannot start: " + oneLine(se.getMessage()));
      err.flush();
      return FAILURE;
    }
    org.slf4j.LoggerFactory.getLogger(Main.class).error("command failed", e);
    err.println("custos: failed: " + oneLine(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))
        + " (details in the log)");
    err.flush();
    return FAILURE;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** Prints {@code custos <version>} and the runtime, for bug reports. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"custos " + Version.current(),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
  }
}
