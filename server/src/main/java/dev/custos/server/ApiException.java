package dev.custos.server;

/** Thrown by a handler to answer with a problem; it is an expected outcome, not a bug. */
public final class ApiException extends RuntimeException {
  private final transient Problem problem;

  public ApiException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
