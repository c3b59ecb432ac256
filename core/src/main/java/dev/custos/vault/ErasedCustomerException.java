package dev.custos.vault;

import dev.custos.access.CustomerId;

/**
 * {@link Vault#put} for a customer who was erased. An erased customer stays erased: bringing the
 * id back would need an explicit decision (a new id, or an operator action this vault does not offer).
 */
public final class ErasedCustomerException extends VaultException {
  private final CustomerId customer;

  ErasedCustomerException(CustomerId customer) {
    super("customer " + customer + " is erased and cannot be written again");
    this.customer = customer;
  }

  public CustomerId customer() {
    return customer;
  }
}
