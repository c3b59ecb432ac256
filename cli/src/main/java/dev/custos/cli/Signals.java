package dev.custos.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

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

  /**
   * Runs {@code action} on SIGTERM and SIGINT until the returned handle is closed, which puts back
   * the handlers that were there before (an in-process caller, such as a test, keeps its own).
   */
  static AutoCloseable during(Runnable action) {
    Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal signal = new Signal(name);
        previous.put(signal, Signal.handle(signal, s -> action.run()));
      } catch (IllegalArgumentException e) {
        // the signal does not exist on this platform, or the JVM reserves it
      }
    }
    return () -> previous.forEach(Signal::handle);
  }
}
