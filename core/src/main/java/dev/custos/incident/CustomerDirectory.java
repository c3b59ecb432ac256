package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import java.util.Optional;

/**
 * Resolves the commitments of the ledger to customers and back, for those entitled to know whom an
 * incident touched. An erased customer no longer resolves: their entries stay unlinkable.
 */
public interface CustomerDirectory {
  /** The customer whose commitment this is, if the vault still holds them. */
  Optional<CustomerId> resolve(Commitment commitment);

  /** The customer's commitment, if the vault holds them. */
  Optional<Commitment> commitment(CustomerId customer);
}
