package dev.custos.ledger;

import java.util.Objects;

/**
 * Proof of sequencing: the entry is durable in the ledger at {@code index}. A receipt exists only
 * after the entry's write-ahead record has been forced to stable storage.
 *
 * @param index the entry's position in the log, from 0
 * @param leafHash the entry's RFC 9162 leaf hash
 */
public record Receipt(long index, Hash leafHash) {

    /** Validates the index. */
    public Receipt {
        if (index < 0) {
            throw new IllegalArgumentException("receipt index must not be negative: " + index);
        }
        Objects.requireNonNull(leafHash, "leafHash");
    }
}
