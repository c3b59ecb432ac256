package dev.custos.vault;

/**
 * {@link Vault#open} was given a receipt for a ledger index that is not (yet) durable: the access
 * it stands for is not provably recorded, so no plaintext leaves.
 */
public final class ReceiptNotDurableException extends VaultException {
  private final long index;
  private final long durableSize;

  public ReceiptNotDurableException(long index, long durableSize) {
    super("receipt index " + index + " is not within the durable ledger (size " + durableSize + "); nothing is disclosed");
    this.index = index;
    this.durableSize = durableSize;
  }

  public long index() {
    return index;
  }

  public long durableSize() {
    return durableSize;
  }
}
