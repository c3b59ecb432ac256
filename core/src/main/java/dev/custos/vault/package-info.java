/**
 * The vault: customer records encrypted field by field, the field catalogue (classification,
 * default mask, the roles that see and reveal each field), masks, blind indexes for exact-match
 * search, commitments that stand for customers in the ledger, and erasure by crypto-shredding.
 * Plaintext leaves the vault only for a durable ledger receipt. Framework-free (Tink allowed).
 */
package dev.custos.vault;
