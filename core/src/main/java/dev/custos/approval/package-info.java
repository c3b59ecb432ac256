/**
 * Approvals: four-eyes (m-of-n) approval of sensitive actions, bound to the exact request, with
 * separation of duties, expiry and time-locks; and the withdrawal-policy engine that tells the
 * wallet service allow, hold, require approval or block. Framework-free; see
 * docs/design/approvals.md.
 */
package dev.custos.approval;
