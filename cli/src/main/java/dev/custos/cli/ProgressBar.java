package dev.custos.cli;

import java.io.PrintWriter;

/** A one-line progress bar on a terminal; silent when output is not a terminal. */
final class ProgressBar {
  private final PrintWriter err;
  private final boolean enabled;
  private int lastPercent = -1;

  private ProgressBar(PrintWriter err, boolean enabled) {
    this.err = err;
    this.enabled = enabled;
  }

  static ProgressBar forTerminal(PrintWriter err) {
    return new ProgressBar(err, isTerminal());
  }

  /** JDK 22+ returns a Console even when redirected and says so in isTerminal(); JDK 21 returns null. */
  private static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Whether the bar is drawn (standard error is a terminal). */
  boolean showing() {
    return enabled;
  }

  void update(long done, long total) {
    update(done, total, done + "/" + total);
  }

  /** Draws the bar at {@code done} of {@code total}, followed by {@code detail} instead of the two numbers. */
  void update(long done, long total, String detail) {
    if (!enabled || total <= 0) {
      return;
    }
    int percent = (int) (done * 100 / total);
    if (percent == lastPercent) {
      return;
    }
    lastPercent = percent;
    int filled = percent * 30 / 100;
    err.print("\r[" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + percent + "% " + detail);
    err.flush();
  }

  void done() {
    if (enabled && lastPercent >= 0) {
      err.print("\r" + " ".repeat(70) + "\r");
      err.flush();
    }
  }
}
