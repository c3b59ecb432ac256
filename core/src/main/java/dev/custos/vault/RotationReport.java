package dev.custos.vault;

/**
 * What one batch of a key rotation did.
 *
 * @param customers customers whose rotation (or rewrap) completed in this batch
 * @param fields field ciphertexts re-encrypted under a new data key
 * @param failed customers that could not be rotated (a record that does not open, a KEK that is
 *     not configured); they stay as they were and are tried again by the next batch
 * @param more whether the batch was full, so more customers may wait
 */
public record RotationReport(int customers, int fields, int failed, boolean more) {
  public RotationReport {
    if (customers < 0 || fields < 0 || failed < 0) {
      throw new IllegalArgumentException("rotation counts must not be negative");
    }
  }

  /** Nothing done, nothing waiting. */
  public static final RotationReport NONE = new RotationReport(0, 0, 0, false);

  /** The sum of two reports, {@code more} from the later one. */
  public RotationReport plus(RotationReport later) {
    return new RotationReport(customers + later.customers, fields + later.fields, failed + later.failed, later.more);
  }
}
