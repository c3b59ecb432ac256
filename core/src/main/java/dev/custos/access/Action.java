package dev.custos.access;

/** What a member of staff asks to do with customer data; the access policy decides each one. */
public enum Action {
  /** See a customer's record, masked by role. */
  VIEW("view"),
  /** See named fields of a customer unmasked, with a reason and a recent second factor. */
  REVEAL("reveal"),
  /** Find customers by an exact e-mail, phone or government id; minimal, masked results. */
  SEARCH("search"),
  /** See a customer's record, masked, without a ticket or case: loud, counted and reviewed. */
  BREAK_GLASS("break-glass");

  private final String wireName;

  Action(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in the API, the ledger and the quota store. */
  public String wireName() {
    return wireName;
  }
}
