package dev.custos.access;

/**
 * What the caller of the access policy MUST do with a {@link Decision.Permit} besides showing the
 * plan. The broker performs each obligation before the data leaves; a permit whose obligations
 * cannot be met is not acted upon (fail closed).
 */
public enum Obligation {
  /** Alert security at once (break-glass). */
  ALERT_SECURITY("alert-security"),
  /** Put the access in the break-glass review queue ({@link BreakGlassStore}). */
  QUEUE_REVIEW("queue-review"),
  /**
   * Count the customer among the staff member's customers outside assigned tickets (see
   * {@link Guardrails}): for cases, break-glass and tickets staff created themselves.
   */
  COUNT_OFF_TICKET("count-off-ticket");

  private final String wireName;

  Obligation(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the API and the ledger. */
  public String wireName() {
    return wireName;
  }
}
