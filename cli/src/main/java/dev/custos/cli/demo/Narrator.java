package dev.custos.cli.demo;

import java.io.PrintWriter;

/** Tells the story on a terminal: chapters, numbered steps, checks that held, failures. */
public final class Narrator {
  private final PrintWriter out;
  private int chapter;
  private int step;

  public Narrator(PrintWriter out) {
    this.out = out;
  }

  public void title(String text) {
    out.println(text);
    out.flush();
  }

  void chapter(int number, String title) {
    chapter = number;
    step = 0;
    out.println();
    out.println("Chapter " + number + ". " + title);
    out.flush();
  }

  /** A step: something Custos or the demo does now. */
  public void step(String text) {
    step++;
    out.println("  " + chapter + "." + step + "  " + text);
    out.flush();
  }

  /** A fact shown to the reader, indented under the current step. */
  public void show(String text) {
    out.println("         " + text);
    out.flush();
  }

  /** A check that held. */
  public void ok(String text) {
    out.println("   ok   " + text);
    out.flush();
  }

  void failure(String text) {
    out.println("  FAILED " + text);
    out.flush();
  }
}
