package dev.custos.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a member of staff does at the exchange. Roles decide which masks apply, which fields may be
 * revealed, who may approve what and who may contain or restore a colleague; the policy that uses
 * them lives with each decision (the field catalogue says which role sees and reveals which field),
 * not here.
 *
 * <p>The set of roles is fixed in code because rules name them (only a security analyst restores a
 * colleague; an administrator sees no customer data); what each role may see is configuration.
 */
public enum Role {
  /** First-line support: works assigned tickets, sees customers masked, reveals little. */
  SUPPORT_L1("support-l1"),
  /** Second-line support: escalated tickets, reveals more fields with a reason; leads open cases. */
  SUPPORT_L2("support-l2"),
  /** Reviews identity documents (KYC): reveals identity fields and document references. */
  KYC_REVIEWER("kyc-reviewer"),
  /** Investigates fraud: transactions, logins, withdrawal addresses. */
  FRAUD_ANALYST("fraud-analyst"),
  /** Security: watches risk, contains and restores staff, runs incidents. */
  SECURITY_ANALYST("security-analyst"),
  /** Approves sensitive actions requested by others (four eyes); sees what the request shows. */
  APPROVER("approver"),
  /** Administers Custos itself: staff accounts, tokens, configuration. Sees no customer data by role. */
  ADMINISTRATOR("admin"),
  /** Reads the ledger and reports; changes nothing and sees no customer data. */
  AUDITOR("auditor");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration, the API, the database and the ledger. */
  public String wireName() {
    return wireName;
  }

  /** Parses a wire name; the message names the accepted values. */
  public static Role parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Role r : values()) {
      if (r.wireName.equals(wanted)) {
        return r;
      }
    }
    throw new IllegalArgumentException("role must be one of " + known());
  }

  /** The wire names of every role, comma-separated, for messages and help. */
  public static String known() {
    return Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
  }
}
