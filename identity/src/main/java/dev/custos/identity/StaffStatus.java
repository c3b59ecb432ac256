package dev.custos.identity;

/** Whether a member of staff may log in and use sessions. */
public enum StaffStatus {
  /** May log in. */
  ACTIVE,
  /** Contained: every session revoked, new logins refused, until a security analyst restores them. */
  SUSPENDED
}
