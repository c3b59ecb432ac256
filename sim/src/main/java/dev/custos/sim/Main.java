package dev.custos.sim;

/**
 * Runs simulations from the command line until {@code custos simulate} exists:
 * {@code java -cp sim.jar:core.jar:ledger.jar:tink.jar dev.custos.sim.Main AGENTS DAYS SEED...}
 * prints each seed's table and JSON.
 */
final class Main {
  private Main() {}

  public static void main(String[] args) {
    int agents = Integer.parseInt(args[0]);
    int days = Integer.parseInt(args[1]);
    for (int i = 2; i < args.length; i++) {
      long started = System.nanoTime();
      Report r = new Simulation(new Simulation.Settings(agents, days, Long.parseLong(args[i]))).run();
      System.out.print(r.toTable());
      System.out.println(r.toJson());
      System.out.printf("(%.1f s)%n", (System.nanoTime() - started) / 1e9);
    }
  }
}
