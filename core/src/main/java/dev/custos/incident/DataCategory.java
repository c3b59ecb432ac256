package dev.custos.incident;

import java.util.Map;

/**
 * The categories of personal data a breach report counts (the vocabulary regulators use: contact,
 * identity, identity documents, financial, account and security, activity, notes). Each field of
 * the catalogue belongs to one; a field the default catalogue does not know counts as {@link #OTHER}.
 */
public enum DataCategory {
  CONTACT("contact"),
  IDENTITY("identity"),
  IDENTITY_DOCUMENTS("identity-documents"),
  FINANCIAL("financial"),
  ACCOUNT_SECURITY("account-security"),
  ACTIVITY("activity"),
  NOTES("notes"),
  OTHER("other");

  private static final Map<String, DataCategory> FIELDS = Map.ofEntries(
      Map.entry("name", IDENTITY), Map.entry("date_of_birth", IDENTITY), Map.entry("nationality", IDENTITY),
      Map.entry("email", CONTACT), Map.entry("phone", CONTACT), Map.entry("address", CONTACT),
      Map.entry("government_id", IDENTITY_DOCUMENTS), Map.entry("id_documents", IDENTITY_DOCUMENTS),
      Map.entry("tax_id", IDENTITY_DOCUMENTS),
      Map.entry("bank_account", FINANCIAL), Map.entry("balances", FINANCIAL),
      Map.entry("withdrawal_addresses", FINANCIAL), Map.entry("recent_transactions", FINANCIAL),
      Map.entry("account_tier", ACCOUNT_SECURITY), Map.entry("account_status", ACCOUNT_SECURITY),
      Map.entry("two_factor_method", ACCOUNT_SECURITY), Map.entry("kyc_status", ACCOUNT_SECURITY),
      Map.entry("recent_logins", ACTIVITY), Map.entry("support_notes", NOTES));

  private final String wireName;

  DataCategory(String wireName) {
    this.wireName = wireName;
  }

  /** The name in reports and the API. */
  public String wireName() {
    return wireName;
  }

  /** The category of a field of the catalogue. */
  public static DataCategory of(String field) {
    return FIELDS.getOrDefault(field, OTHER);
  }
}
