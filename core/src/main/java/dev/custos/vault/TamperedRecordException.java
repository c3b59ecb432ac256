package dev.custos.vault;

import dev.custos.access.CustomerId;
import java.util.Optional;

/**
 * A stored ciphertext, wrapped keyset or sealed salt did not authenticate: it was altered, moved
 * from another customer or field, or the key is not the one it was sealed with. The vault fails
 * closed: it never returns a wrong value, and never "no value".
 */
public final class TamperedRecordException extends VaultException {
  private final CustomerId customer;
  private final Field field;

  TamperedRecordException(CustomerId customer, Field field, String what, Throwable cause) {
    super(what + " of customer " + customer + (field == null ? "" : " field " + field)
        + " does not open: it was altered or moved from another customer or field, or the key is not the one it was sealed with", cause);
    this.customer = customer;
    this.field = field;
  }

  public CustomerId customer() {
    return customer;
  }

  /** The field whose ciphertext failed; empty when the customer's key material failed. */
  public Optional<Field> field() {
    return Optional.ofNullable(field);
  }
}
