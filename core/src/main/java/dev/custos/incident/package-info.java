/**
 * Incident response and customer transparency (issue 8): the access index derived from the ledger
 * (who saw which customer's data, which fields, masked or revealed, when, under which purpose),
 * incident scope, leak attribution, notifications and the regulator report. The ledger stays the
 * source of truth: the index can be rebuilt from it at any time and records only what an entry says.
 * Customers appear here as commitments, as in the ledger; a {@link CustomerDirectory} resolves them
 * for the people entitled to see whom an incident touched.
 */
package dev.custos.incident;
