/**
 * Access: staff, customers, tickets, grants, the access policy and the broker that writes every
 * decision to the ledger before any data leaves. Framework-free; see docs/design/modules.md.
 */
package dev.custos.access;
