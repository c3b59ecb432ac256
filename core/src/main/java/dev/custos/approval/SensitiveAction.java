package dev.custos.approval;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An action no single member of staff may take alone. The set is fixed in code because the
 * execution of each is code (who applies it: the exchange's backend or Custos itself); how many
 * approvers it needs, from whom, and for how long it waits is configuration ({@link ApprovalCatalogue}).
 */
public enum SensitiveAction {
  /** Reset a customer's second factor: the classic social-engineering target. */
  TWO_FACTOR_RESET("2fa-reset", Executor.BACKEND, true),
  /** Change the e-mail address of a customer's account. */
  EMAIL_CHANGE("email-change", Executor.BACKEND, true),
  /** Change the phone number of a customer's account. */
  PHONE_CHANGE("phone-change", Executor.BACKEND, true),
  /** Add a withdrawal address to a customer's whitelist. */
  ADDRESS_WHITELIST("address-whitelist", Executor.BACKEND, true),
  /** Raise a customer's withdrawal limit. */
  LIMIT_RAISE("limit-raise", Executor.BACKEND, true),
  /** Unlock an account put on security hold. */
  SECURITY_HOLD_UNLOCK("security-hold-unlock", Executor.BACKEND, true),
  /** Grant a role to a member of staff (Custos applies it). */
  ROLE_GRANT("role-grant", Executor.CUSTOS, false),
  /** Review a break-glass access (Custos applies it). */
  BREAK_GLASS_REVIEW("break-glass-review", Executor.CUSTOS, false),
  /** Export customer data in bulk. */
  BULK_EXPORT("bulk-export", Executor.BACKEND, false),
  /** Lift the containment of a member of staff (Custos applies it). */
  CONTAINMENT_LIFT("containment-lift", Executor.CUSTOS, false),
  /** Read the list of decoy customers (Custos applies it). */
  DECOY_LIST_READ("decoy-list-read", Executor.CUSTOS, false),
  /** A withdrawal the withdrawal policy sent for approval. */
  WITHDRAWAL("withdrawal", Executor.BACKEND, true);

  /** Who carries out an approved action. */
  public enum Executor {
    /** The exchange's backend, told through the signed outbound webhook. */
    BACKEND,
    /** Custos itself. */
    CUSTOS
  }

  private final String wireName;
  private final Executor executor;
  private final boolean aboutCustomer;

  SensitiveAction(String wireName, Executor executor, boolean aboutCustomer) {
    this.wireName = wireName;
    this.executor = executor;
    this.aboutCustomer = aboutCustomer;
  }

  /** The name used in configuration, the API, the database and the ledger. */
  public String wireName() {
    return wireName;
  }

  public Executor executor() {
    return executor;
  }

  /** Whether a request for this action MUST name the customer it is about. */
  public boolean aboutCustomer() {
    return aboutCustomer;
  }

  /** Parses a wire name; the message names the accepted values. */
  public static SensitiveAction parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (SensitiveAction a : values()) {
      if (a.wireName.equals(wanted)) {
        return a;
      }
    }
    throw new IllegalArgumentException("action must be one of " + known());
  }

  /** The wire names of every action, comma-separated. */
  public static String known() {
    return Arrays.stream(values()).map(SensitiveAction::wireName).collect(Collectors.joining(", "));
  }
}
