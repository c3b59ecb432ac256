package dev.custos.identity;

import dev.custos.access.StaffId;

/**
 * Remembers, per staff account, the highest TOTP time step that has been accepted, so that every
 * code is usable once (OWASP ASVS 6.5.1) across all Custos instances. PostgreSQL in the
 * {@code store} module; the contract is pinned by {@code TotpReplayStoreContract} in this module's
 * test sources.
 *
 * <p>Tracking the highest step rather than the set of used steps is what makes "once" hold inside
 * the ±1-step window: after the code of step {@code s} is accepted, the still-valid code of
 * {@code s-1} is refused too, so a code an attacker watched being typed is worthless even if it is
 * older than the one the victim used next.
 */
public interface TotpReplayStore {
  /**
   * Records {@code step} as used by {@code account} if and only if it is higher than every step
   * recorded for that account so far.
   *
   * <p>MUST be atomic across every instance sharing the store: of any number of concurrent calls
   * with the same account and step, exactly one returns true. In PostgreSQL one statement does it:
   * {@code INSERT INTO totp_last_step (account, step) VALUES (?, ?) ON CONFLICT (account) DO UPDATE
   * SET step = EXCLUDED.step WHERE totp_last_step.step < EXCLUDED.step}, true when one row changed.
   * MUST throw (not return false) when the store cannot be reached, so the caller can tell a
   * replay from an outage.
   *
   * @return true when the step was recorded (the code may be accepted); false when this step or a
   *     later one was already used
   */
  boolean markUsed(StaffId account, long step);

  /**
   * Forgets the accounts whose highest used step is below {@code belowStep}. Safe, and what the
   * server's periodic purge does, when {@code belowStep} is at most the current step minus one: the
   * verifier accepts only the steps from the current minus one to the current plus one, so no code
   * of a forgotten step, or of an earlier one, can be accepted any more. MUST be atomic per row
   * (a concurrent {@link #markUsed} of a higher step is kept) and MUST throw when the store cannot
   * be reached.
   *
   * @return how many accounts were forgotten
   */
  int purge(long belowStep);
}
