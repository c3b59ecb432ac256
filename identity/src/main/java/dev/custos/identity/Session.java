package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A staff session as the server keeps it. The secret id that the browser holds in its cookie is not
 * here: the store keys sessions by its SHA-256 ({@link SessionSecret#storageKey()}), so a copy of the
 * database opens no session.
 *
 * @param handle the public name of the session, for listing and revoking it (not a credential)
 * @param staff whose session it is
 * @param state whether the login is complete
 * @param method how the person authenticated, e.g. {@code password+totp}, {@code oidc}
 * @param createdAt when the session was opened
 * @param lastSeenAt the last request that used it (to a granularity, see {@link Sessions})
 * @param expiresAt the absolute end, whatever the activity
 * @param mfaAt when a second factor was last proven in this session (login or step-up)
 * @param address the client address at login
 * @param userAgent the client's User-Agent at login, cut to 200 characters
 * @param pending server-side state of the next step (a WebAuthn request); empty when none
 * @param revokedAt when it was revoked; empty while live
 * @param revokedReason why (logout, revoked, suspended, rotated, expired)
 */
public record Session(SessionHandle handle, StaffId staff, SessionState state, String method,
    Instant createdAt, Instant lastSeenAt, Instant expiresAt, Optional<Instant> mfaAt,
    String address, String userAgent, String pending,
    Optional<Instant> revokedAt, Optional<String> revokedReason) {

  public Session {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(mfaAt, "mfaAt");
    Objects.requireNonNull(address, "address");
    userAgent = Objects.requireNonNull(userAgent, "userAgent");
    userAgent = userAgent.length() > 200 ? userAgent.substring(0, 200) : userAgent;
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(revokedReason, "revokedReason");
  }

  public boolean isRevoked() {
    return revokedAt.isPresent();
  }

  /** This session with {@code pending} as its next-step state. */
  public Session withPending(String next) {
    return new Session(handle, staff, state, method, createdAt, lastSeenAt, expiresAt, mfaAt, address, userAgent,
        next, revokedAt, revokedReason);
  }

  @Override
  public String toString() {
    // The pending state may hold an OIDC code verifier: never printed.
    return "Session[" + handle + ", " + staff + ", " + state + ", " + method + ", created " + createdAt
        + ", expires " + expiresAt + (isRevoked() ? ", revoked " + revokedReason.orElse("") : "") + "]";
  }
}
