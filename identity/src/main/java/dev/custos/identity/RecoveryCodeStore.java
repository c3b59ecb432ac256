package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.List;

/**
 * Where the hashes of staff recovery codes are kept (PostgreSQL in the {@code store} module). The
 * contract is pinned by {@code RecoveryCodeStoreContract} in this module's test sources.
 */
public interface RecoveryCodeStore {
  /**
   * Replaces every code of {@code account} with {@code hashes}, atomically: afterwards no earlier
   * code is usable, and no reader sees a mix of old and new codes.
   */
  void replaceAll(StaffId account, List<RecoveryCodeHash> hashes);

  /** The hashes of the codes of {@code account} that have not been consumed, in any order. */
  List<RecoveryCodeHash> unused(StaffId account);

  /**
   * Consumes one code. MUST be atomic across every instance sharing the store: of any number of
   * concurrent calls for the same account and hash, at most one returns true (in PostgreSQL a
   * {@code DELETE ... WHERE account = ? AND hash = ?} reporting one row).
   *
   * @return true when the code was unused and is now consumed; false when it does not exist (any more)
   */
  boolean consume(StaffId account, RecoveryCodeHash hash);
}
