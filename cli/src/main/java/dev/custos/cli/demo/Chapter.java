package dev.custos.cli.demo;

/**
 * One chapter of the demo story. A chapter narrates what it does through the {@link Scene},
 * checks what it shows, and throws {@link DemoFailure} when Custos does not behave as told.
 */
public interface Chapter {
  /** A short title, e.g. "An exchange installs Custos". */
  String title();

  /** Plays the chapter against the running instance in {@code scene}. */
  void play(Scene scene) throws Exception;
}
