package dev.custos.cli.demo;

/** The demo saw Custos do something other than what the story says; the demo exits 1. */
public final class DemoFailure extends Exception {
  public DemoFailure(String message) {
    super(message);
  }
}
