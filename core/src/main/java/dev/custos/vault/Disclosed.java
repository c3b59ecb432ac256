package dev.custos.vault;

import dev.custos.access.CustomerId;
import dev.custos.ledger.Receipt;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decrypted fields of one customer, and the proof that their disclosure is in the ledger: the
 * capability that holds plaintext, in the manner of Tink's {@code SecretKeyAccess}. Only
 * {@link Vault#open} makes one, and only for a receipt within the durable ledger.
 *
 * <p>Only the access broker may call {@code Vault.open} and hold a {@code Disclosed} (an
 * architecture rule checks it); it masks the values by the access plan before anything leaves.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>{@link #toString()} names the customer, the fields and the receipt index, never a value.</li>
 *   <li>Not a record: no generated {@code toString}, {@code equals} or accessors leak the values.</li>
 * </ul>
 */
public final class Disclosed {
  private final Receipt receipt;
  private final CustomerId customer;
  private final SortedMap<Field, FieldValue> values;

  /** Over {@code values}, which the vault hands over and no longer touches (no copy: every read makes one). */
  Disclosed(Receipt receipt, CustomerId customer, TreeMap<Field, FieldValue> values) {
    this.receipt = Objects.requireNonNull(receipt, "receipt");
    this.customer = Objects.requireNonNull(customer, "customer");
    this.values = Collections.unmodifiableSortedMap(values);
  }

  /** The ledger receipt this disclosure was made for. */
  public Receipt receipt() {
    return receipt;
  }

  public CustomerId customer() {
    return customer;
  }

  /** The value of {@code field}; empty when the customer has no value for it. */
  public Optional<FieldValue> value(Field field) {
    return Optional.ofNullable(values.get(field));
  }

  /** Every disclosed value, in field order (requested fields the customer has no value for are absent). */
  public SortedMap<Field, FieldValue> values() {
    return values;
  }

  @Override
  public String toString() {
    return "Disclosed[customer=" + customer + ", fields=" + values.keySet() + ", receipt=" + receipt.index() + ", values ***]";
  }
}
