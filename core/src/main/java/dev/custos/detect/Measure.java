package dev.custos.detect;

/**
 * What the detector asks the caller to do about a member of staff, from mildest to strongest. The
 * detector decides; the caller (the server's containment) applies it and records it in the ledger.
 */
public enum Measure {
  /** Nothing unusual. */
  NONE,
  /** Tell security; the person notices nothing. */
  ALERT,
  /** Require a fresh second factor before the next access. */
  STEP_UP,
  /** Slow the person's accesses down (the caller's rate). */
  THROTTLE,
  /** End every session of the person and page security; only a security analyst restores them. */
  SUSPEND;

  /** The name used in the API and the ledger. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
