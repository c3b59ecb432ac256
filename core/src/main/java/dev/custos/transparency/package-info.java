/**
 * Customer transparency (issue 8): a customer's own access log — every access to their data and
 * every refused attempt, each with the exact ledger entry and an inclusion proof against the latest
 * signed checkpoint, plus a consistency proof from the checkpoint they saw last — so that they can
 * check it themselves, trusting only the published verifier key. Staff appear under stable
 * pseudonyms ({@link StaffPseudonyms}). See docs/transparency.md.
 */
package dev.custos.transparency;
