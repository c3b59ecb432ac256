package dev.custos.access;

/**
 * Why an access was denied. The wire names are stable: the API, the ledger, detection and
 * dashboards match on them, never on the human explanation.
 */
public enum DenyReason {
  /** The request itself is malformed (for example no customer for a view). */
  BAD_REQUEST("bad-request"),
  /** The staff member is suspended or inactive. */
  STAFF_SUSPENDED("staff-suspended"),
  /** No purpose was given for customer data. */
  NO_PURPOSE("no-purpose"),
  /** The purpose does not fit the action (break-glass action without the break-glass purpose, a reveal under break-glass). */
  PURPOSE_MISMATCH("purpose-mismatch"),
  /** The ticket named as purpose is not known (or the facts loaded are of another ticket). */
  TICKET_UNKNOWN("ticket-unknown"),
  /** The ticket is assigned to someone else, or to nobody. */
  TICKET_NOT_ASSIGNED("ticket-not-assigned"),
  /** The ticket is solved or closed. */
  TICKET_CLOSED("ticket-closed"),
  /** The ticket's requester is another customer. */
  TICKET_OTHER_CUSTOMER("ticket-other-customer"),
  /** The case named as purpose is not known (or the facts loaded are of another case). */
  CASE_UNKNOWN("case-unknown"),
  /** The case is not approved, or approved by its own lead or by someone who may not approve cases. */
  CASE_NOT_APPROVED("case-not-approved"),
  /** The case has expired or was closed. */
  CASE_EXPIRED("case-expired"),
  /** The staff member is not a member of the case. */
  CASE_NOT_MEMBER("case-not-member"),
  /** The case does not list this customer. */
  CASE_OTHER_CUSTOMER("case-other-customer"),
  /** A requested field is not in the field catalogue. */
  UNKNOWN_FIELD("unknown-field"),
  /** None of the staff member's roles may view a requested field (or any field at all). */
  ROLE_MAY_NOT_VIEW("role-may-not-view"),
  /** None of the staff member's roles may reveal a requested field. */
  ROLE_MAY_NOT_REVEAL("role-may-not-reveal"),
  /** The field is not one customers can be searched by. */
  FIELD_NOT_SEARCHABLE("field-not-searchable"),
  /** A real reason is required (reveal, break-glass) and none, or a placeholder, was given. */
  REASON_REQUIRED("reason-required"),
  /** A second factor within the configured window is required. */
  STEP_UP_REQUIRED("step-up-required"),
  /** None of the staff member's roles may break the glass. */
  BREAK_GLASS_NOT_ALLOWED("break-glass-not-allowed"),
  /** A guardrail quota is used up ({@link Guardrails}); maps to HTTP 429. */
  QUOTA_EXCEEDED("quota-exceeded"),
  /** The policy could not evaluate (an error while deciding): fail closed. */
  POLICY_ERROR("policy-error");

  private final String wireName;

  DenyReason(String wireName) {
    this.wireName = wireName;
  }

  /** The stable name used in the API and the ledger. */
  public String wireName() {
    return wireName;
  }
}
