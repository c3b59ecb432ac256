package dev.custos.sim;

/**
 * Runs simulations from the command line until {@code custos simulate} exists:
 * {@code java -cp sim.jar:core.jar:ledger.jar:tink.jar dev.custos.sim.Main AGENTS DAYS SEED...}
 * prints each seed's table and JSON. {@code SIM_TRACE=1} prints every escalation with its
 * explanation, {@code SIM_DAYS=1} each insider's assessment at the end of every day, and
 * {@code SIM_THRESHOLDS=alert,stepUp,throttle,suspend} tries other thresholds.
 */
final class Main {
  private Main() {}

  public static void main(String[] args) {
    int agents = Integer.parseInt(args[0]);
    int days = Integer.parseInt(args[1]);
    boolean trace = System.getenv("SIM_TRACE") != null;
    String thresholds = System.getenv("SIM_THRESHOLDS");
    double[] t = thresholds == null ? null : java.util.Arrays.stream(thresholds.split(",")).mapToDouble(Double::parseDouble).toArray();
    dev.custos.detect.DetectionPolicy policy = t == null
        ? dev.custos.detect.DetectionPolicy.defaults()
        : dev.custos.detect.DetectionPolicy.builder().thresholds(t[0], t[1], t[2], t[3]).build();
    for (int i = 2; i < args.length; i++) {
      long started = System.nanoTime();
      Report r = new Simulation(new Simulation.Settings(agents, days, Long.parseLong(args[i])), policy).run(d -> {},
          (a, attacker) -> {
            if (trace) {
              System.out.println((attacker ? "ATTACKER " : "benign ") + a.at() + " " + a.explain());
            }
          }, System.getenv("SIM_DAYS") == null ? null : System.out::println);
      System.out.print(r.toTable());
      System.out.println(r.toJson());
      System.out.printf("(%.1f s)%n", (System.nanoTime() - started) / 1e9);
    }
  }
}
