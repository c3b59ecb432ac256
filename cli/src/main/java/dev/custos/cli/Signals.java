package dev.custos.cli;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as an orderly stop request rather than the JVM's abrupt exit (status 143),
 * so that {@code serve} stops HTTP, the database and the ledger in order and exits 0.
 */
final class Signals {
  private Signals() {}

  static void onTerminate(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> action.run());
      } catch (IllegalArgumentException e) {
        // the signal does not exist on this platform; the JVM's shutdown hook still closes Custos
      }
    }
  }
}
