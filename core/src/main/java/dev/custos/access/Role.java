package dev.custos.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a member of staff does at the exchange. Roles decide which masks apply, which fields may be
 * revealed, who may approve what and who may contain or restore a colleague; the policy that uses
 * them lives with each decision, not here.
 */
public enum Role {
  /** Front-line support: works tickets, sees customers masked. */
  AGENT("agent"),
  /** Reviews identity documents (KYC). */
  KYC_REVIEWER("kyc"),
  /** Leads a support team; approves some sensitive actions. */
  SUPERVISOR("supervisor"),
  /** Security: watches risk, contains and restores staff, runs incidents. */
  SECURITY_ANALYST("security"),
  /** Reads the ledger and reports; changes nothing. */
  AUDITOR("auditor"),
  /** Administers Custos itself: staff accounts, tokens, configuration. Sees no customer data by role. */
  ADMINISTRATOR("admin");

  private final String wireName;

  Role(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration, the API and the ledger. */
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
    throw new IllegalArgumentException("role must be one of "
        + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
  }
}
