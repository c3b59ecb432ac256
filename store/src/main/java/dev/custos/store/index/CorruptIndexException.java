package dev.custos.store.index;

import java.io.IOException;

/** The index on disk is not what its state says; the index is then rebuilt from the ledger. */
final class CorruptIndexException extends IOException {
  CorruptIndexException(String message) {
    super(message);
  }
}
