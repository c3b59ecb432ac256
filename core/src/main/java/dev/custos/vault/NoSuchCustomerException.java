package dev.custos.vault;

import dev.custos.access.CustomerId;

/** The vault holds no readable record of the customer: never stored, or erased. */
public final class NoSuchCustomerException extends VaultException {
  private final CustomerId customer;
  private final boolean erased;

  NoSuchCustomerException(CustomerId customer, boolean erased) {
    super(erased ? "customer " + customer + " is erased" : "no customer " + customer + " in the vault");
    this.customer = customer;
    this.erased = erased;
  }

  public CustomerId customer() {
    return customer;
  }

  /** Whether the customer existed and was erased (crypto-shredded). */
  public boolean erased() {
    return erased;
  }
}
