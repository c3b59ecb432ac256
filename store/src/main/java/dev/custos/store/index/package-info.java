/**
 * The access index on disk ({@link dev.custos.store.index.FileAccessIndex}): the ledger's
 * {@code custos.access/v1} entries as compact fixed-width records in time partitions, with per-staff
 * and per-customer posting lists, so that the scope of an incident reads only the suspects' slices
 * of the partitions its window touches. JDK file I/O only; derived from the ledger and rebuilt from
 * it by deleting the directory. See docs/incident-response.md, "Scope and the access index".
 */
package dev.custos.store.index;
