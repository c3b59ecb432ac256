package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Something that happened to a staff identity: a login step, a factor used, enrolled or removed, a
 * step-up, a session revoked, a suspension, a service token used. Each goes to the ledger and the
 * event bus ({@link AuthEventSink}). Carries no secret and no free text typed by an unauthenticated
 * client: an unknown account name is not recorded (it may be a password typed in the wrong box).
 *
 * @param type what happened
 * @param at when
 * @param staff whose identity (empty for a login attempt on an account name that does not exist)
 * @param session the public handle of the session concerned, if any
 * @param address the client address, if the event came from a request
 * @param detail small, fixed-vocabulary facts (outcome reason, factor, actor, counts), sorted by key
 */
public record AuthEvent(Type type, Instant at, Optional<StaffId> staff, Optional<SessionHandle> session,
    Optional<String> address, Map<String, String> detail) {

  public enum Type {
    LOGIN_SUCCEEDED("login.succeeded"),
    LOGIN_FAILED("login.failed"),
    STEP_UP_SUCCEEDED("step-up.succeeded"),
    STEP_UP_FAILED("step-up.failed"),
    LOGOUT("session.logout"),
    SESSION_REVOKED("session.revoked"),
    FACTOR_ENROLLED("factor.enrolled"),
    FACTOR_REMOVED("factor.removed"),
    FACTORS_RESET("factor.reset"),
    RECOVERY_CODES_ISSUED("recovery-codes.issued"),
    WEBAUTHN_COUNTER_REGRESSED("webauthn.counter-regressed"),
    STAFF_CREATED("staff.created"),
    STAFF_SUSPENDED("staff.suspended"),
    STAFF_RESTORED("staff.restored"),
    /** The roles of an account changed (an SSO login whose groups at the provider changed). */
    STAFF_ROLES_CHANGED("staff.roles-changed"),
    /** The shift of an account was set or cleared. */
    STAFF_SHIFT_CHANGED("staff.shift-changed"),
    /** An account was linked to the person behind it, or the link removed. */
    STAFF_PERSON_CHANGED("staff.person-changed"),
    TOKEN_USED("token.used");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public AuthEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(address, "address");
    detail = java.util.Collections.unmodifiableMap(new TreeMap<>(detail));
  }

  public static AuthEvent of(Type type, Instant at, StaffId staff, Map<String, String> detail) {
    return new AuthEvent(type, at, Optional.ofNullable(staff), Optional.empty(), Optional.empty(), detail);
  }

  public AuthEvent withSession(SessionHandle handle) {
    return new AuthEvent(type, at, staff, Optional.of(handle), address, detail);
  }

  public AuthEvent withAddress(String clientAddress) {
    return new AuthEvent(type, at, staff, session, Optional.ofNullable(clientAddress), detail);
  }
}
