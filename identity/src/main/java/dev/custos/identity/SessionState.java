package dev.custos.identity;

/** How far a session's login has come. */
public enum SessionState {
  /**
   * The first step is done (a correct password, or an OIDC redirect under way) and the second is
   * awaited. A pending session authorises nothing but that next step, and lives minutes.
   */
  PENDING,
  /** Fully authenticated. */
  ACTIVE
}
