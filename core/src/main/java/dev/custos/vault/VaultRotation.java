package dev.custos.vault;

import java.time.Instant;
import java.util.Objects;

/**
 * A key rotation to run in the background (an executor, a virtual thread): batch after batch until
 * nothing is left, while the vault keeps serving reads and writes. Safe to run on several instances
 * at once and to stop at any moment (interrupt the thread): a customer left half-way is finished
 * by the next run.
 *
 * <ul>
 *   <li>{@link #dataKeys}: every customer whose primary data key was made before the rotation
 *       started gets a new data key, and their fields are re-encrypted under it.</li>
 *   <li>{@link #keyEncryptionKey}: after a new primary KEK is configured (the previous one kept as
 *       an older KEK), every keyset still wrapped by another KEK is rewrapped under the primary.</li>
 * </ul>
 */
public final class VaultRotation implements Runnable {
  private final Vault vault;
  private final Instant cutoff;
  private final int batchSize;
  private volatile RotationReport report = RotationReport.NONE;

  private VaultRotation(Vault vault, Instant cutoff, int batchSize) {
    this.vault = Objects.requireNonNull(vault, "vault");
    this.cutoff = cutoff;
    if (batchSize < 1 || batchSize > 100_000) {
      throw new IllegalArgumentException("batch size must be 1-100000, was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** A data-key rotation of every key made before now (by the vault's clock). */
  public static VaultRotation dataKeys(Vault vault, int batchSize) {
    return new VaultRotation(vault, vault.now(), batchSize);
  }

  /** A rewrap of every keyset under the primary KEK. */
  public static VaultRotation keyEncryptionKey(Vault vault, int batchSize) {
    return new VaultRotation(vault, null, batchSize);
  }

  /**
   * Runs batches until one finds nothing more, or completes no customer (only failures, which
   * {@link #report()} counts), or the thread is interrupted.
   */
  @Override
  public void run() {
    while (!Thread.currentThread().isInterrupted()) {
      RotationReport batch = cutoff == null ? vault.rewrapKeys(batchSize) : vault.rotateDataKeys(cutoff, batchSize);
      report = report.plus(batch);
      if (!batch.more() || batch.customers() == 0) {
        return;
      }
    }
  }

  /** What the rotation has done so far. */
  public RotationReport report() {
    return report;
  }

  @Override
  public String toString() {
    return "VaultRotation[" + (cutoff == null ? "key-encryption key" : "data keys made before " + cutoff) + ", " + report + "]";
  }
}
