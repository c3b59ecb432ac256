package dev.custos.identity;

import dev.custos.access.StaffId;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.time.InstantSource;

/**
 * The staff login and step-up flows over sessions: password → pending session → second factor
 * (TOTP, WebAuthn or a recovery code) → a complete session with a new id; and step-up of a complete
 * session with a second factor again (a new id, a fresh MFA time). Every outcome is recorded through
 * the {@link AuthEventSink} before it is returned; if it cannot be recorded, no session is granted.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Throttling, lockout and equal treatment of unknown and known accounts are
 *       {@link LocalLogin}'s; a failed second factor counts as a failed attempt of the account.</li>
 *   <li>A suspended account gets no session, even with both factors right.</li>
 *   <li>The second factor is bound to the pending session that the password opened (its secret is in
 *       an HttpOnly cookie), and completing it rotates the id.</li>
 *   <li>A WebAuthn counter going backwards refuses the assertion and is recorded as its own event.</li>
 * </ul>
 */
public final class StaffLogins {
  private static final System.Logger log = System.getLogger(StaffLogins.class.getName());
  private final LocalLogin local;
  private final Sessions sessions;
  private final StaffDirectory directory;
  private final StaffCredentialStore credentials;
  private final RecoveryCodes recoveryCodes;
  private final WebAuthnAssertions webAuthn;
  private final AuthEventSink events;
  private final InstantSource clock;

  public StaffLogins(LocalLogin local, Sessions sessions, StaffDirectory directory, StaffCredentialStore credentials,
      RecoveryCodes recoveryCodes, WebAuthnAssertions webAuthn, AuthEventSink events, InstantSource clock) {
    this.local = Objects.requireNonNull(local, "local");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.recoveryCodes = Objects.requireNonNull(recoveryCodes, "recoveryCodes");
    this.webAuthn = Objects.requireNonNull(webAuthn, "webAuthn");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Sessions sessions() {
    return sessions;
  }

  /** Step one. On success the answer carries a pending session and the factors the account can use. */
  public LoginStep password(String username, Password password, InetAddress address, String userAgent) {
    LoginResult r = local.password(username, password, address);
    String where = address.getHostAddress();
    return switch (r) {
      case LoginResult.PasswordAccepted a -> {
        try {
          StaffAccount account = directory.find(a.account()).orElse(null);
          if (account == null || !account.isActive()) {
            record(failed(a.account(), "password", account == null ? "no-account" : "suspended", where));
            yield account == null ? new LoginStep.Refused("no-account") : new LoginStep.Suspended();
          }
          Set<Factor> factors = factors(a.account());
          if (factors.isEmpty()) {
            record(failed(a.account(), "password", "no-second-factor", where));
            yield new LoginStep.Refused("no-second-factor");
          }
          Sessions.Opened pending = sessions.openPending(a.account(), "password", where, userAgent, "");
          yield new LoginStep.SecondFactorNeeded(pending, factors);
        } catch (RuntimeException e) {
          log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
          yield new LoginStep.Unavailable();
        }
      }
      case LoginResult.Refused f -> {
        // An unknown name is not recorded as a staff id: it may be a password typed in the wrong box.
        Optional<StaffId> known = f.reason() == LoginResult.Reason.UNKNOWN_ACCOUNT ? Optional.empty() : parse(username);
        yield recordRefusal(new AuthEvent(AuthEvent.Type.LOGIN_FAILED, clock.instant(), known, Optional.empty(),
            Optional.of(where), Map.of("step", "password", "reason", reasonName(f.reason()))), reasonName(f.reason()));
      }
      default -> other(r);
    };
  }

  /** Step two: {@code factor} with {@code proof} (a code, or the WebAuthn response JSON) for the pending session. */
  public LoginStep secondFactor(SessionSecret pendingSecret, Session pending, Factor factor, String proof,
      InetAddress address) {
    String where = address.getHostAddress();
    StaffId staff = pending.staff();
    Optional<LoginStep> refused = verifyFactor(staff, factor, proof, pending.pending(), address, "second-factor");
    if (refused.isPresent()) {
      return refused.get();
    }
    try {
      StaffAccount account = directory.find(staff).orElse(null);
      if (account == null || !account.isActive()) {
        record(failed(staff, "second-factor", "suspended", where));
        return new LoginStep.Suspended();
      }
      Optional<Sessions.Opened> opened = sessions.complete(pendingSecret, pending, "password+" + factor.wireName());
      if (opened.isEmpty()) {
        return new LoginStep.Refused("pending-session-gone");
      }
      try {
        record(new AuthEvent(AuthEvent.Type.LOGIN_SUCCEEDED, clock.instant(), Optional.of(staff),
            Optional.of(opened.get().session().handle()), Optional.of(where),
            Map.of("factor", factor.wireName(), "method", opened.get().session().method())));
      } catch (RuntimeException e) {
        sessions.logout(opened.get().secret()); // not recorded, not granted
        throw e;
      }
      return new LoginStep.Complete(opened.get(), account, factor);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginStep.Unavailable();
    }
  }

  /** Step-up of a complete session: a second factor again; on success a new id and a fresh MFA time. */
  public LoginStep stepUp(SessionSecret secret, Session session, Factor factor, String proof, InetAddress address) {
    if (factor == Factor.RECOVERY_CODE) {
      return new LoginStep.Refused("recovery-code-not-for-step-up");
    }
    String where = address.getHostAddress();
    Optional<LoginStep> refused = verifyFactor(session.staff(), factor, proof, session.pending(), address, "step-up");
    if (refused.isPresent()) {
      return refused.get();
    }
    try {
      StaffAccount account = directory.find(session.staff()).orElse(null);
      if (account == null || !account.isActive()) {
        return new LoginStep.Suspended();
      }
      Optional<Sessions.Opened> opened = sessions.stepUp(secret, session);
      if (opened.isEmpty()) {
        return new LoginStep.Refused("session-gone");
      }
      try {
        record(new AuthEvent(AuthEvent.Type.STEP_UP_SUCCEEDED, clock.instant(), Optional.of(session.staff()),
            Optional.of(opened.get().session().handle()), Optional.of(where),
            Map.of("factor", factor.wireName(), "previousSession", session.handle().value())));
      } catch (RuntimeException e) {
        sessions.logout(opened.get().secret());
        throw e;
      }
      return new LoginStep.Complete(opened.get(), account, factor);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginStep.Unavailable();
    }
  }

  /**
   * A WebAuthn challenge for the session's person, kept in the session until answered.
   *
   * @return empty when they have no WebAuthn credential
   * @throws RuntimeException when a store fails
   */
  public Optional<String> webAuthnChallenge(SessionSecret secret, Session session) {
    Optional<WebAuthnAssertions.Challenge> c = webAuthn.challenge(session.staff());
    if (c.isEmpty()) {
      return Optional.empty();
    }
    if (!sessions.setPending(secret, c.get().requestJson())) {
      throw new IllegalStateException("the session ended");
    }
    return Optional.of(c.get().optionsJson());
  }

  /** The second factors {@code staff} has: TOTP and WebAuthn when enrolled, recovery codes while any is left. */
  public Set<Factor> factors(StaffId staff) {
    Set<Factor> f = EnumSet.noneOf(Factor.class);
    if (credentials.find(staff).flatMap(StaffCredentials::totpSecret).isPresent()) {
      f.add(Factor.TOTP);
    }
    if (webAuthn.enrolled(staff)) {
      f.add(Factor.WEBAUTHN);
    }
    if (recoveryCodes.remaining(staff) > 0) {
      f.add(Factor.RECOVERY_CODE);
    }
    return f;
  }

  /** Empty when the factor is proven; otherwise the answer, already recorded. */
  private Optional<LoginStep> verifyFactor(StaffId staff, Factor factor, String proof, String pendingState,
      InetAddress address, String step) {
    String where = address.getHostAddress();
    AuthEvent.Type failType = step.equals("step-up") ? AuthEvent.Type.STEP_UP_FAILED : AuthEvent.Type.LOGIN_FAILED;
    if (factor == Factor.WEBAUTHN) {
      if (pendingState.isEmpty()) {
        return Optional.of(recordRefusal(event(failType, staff, where, step, "no-challenge"), "no-challenge"));
      }
      WebAuthnAssertions.Verdict v = webAuthn.verify(staff, pendingState, proof);
      return switch (v) {
        case WebAuthnAssertions.Verdict.Verified ok -> Optional.empty();
        case WebAuthnAssertions.Verdict.Unavailable u -> Optional.of(new LoginStep.Unavailable());
        case WebAuthnAssertions.Verdict.Refused no ->
            Optional.of(recordRefusal(event(failType, staff, where, step, "webauthn-" + no.reason()), no.reason()));
        case WebAuthnAssertions.Verdict.CounterRegressed c -> {
          try {
            record(new AuthEvent(AuthEvent.Type.WEBAUTHN_COUNTER_REGRESSED, clock.instant(), Optional.of(staff),
                Optional.empty(), Optional.of(where), Map.of("credential", c.credentialId(),
                    "storedCount", Long.toString(c.stored()), "presentedCount", Long.toString(c.presented()))));
          } catch (RuntimeException e) {
            yield Optional.of(new LoginStep.Unavailable());
          }
          yield Optional.of(recordRefusal(event(failType, staff, where, step, "webauthn-counter-regressed"),
              "webauthn-counter-regressed"));
        }
      };
    }
    LoginResult r = factor == Factor.TOTP ? local.totp(staff, proof, address) : local.recoveryCode(staff, proof, address);
    return switch (r) {
      case LoginResult.Authenticated a -> Optional.empty();
      case LoginResult.Refused f ->
          Optional.of(recordRefusal(event(failType, staff, where, step, reasonName(f.reason())), reasonName(f.reason())));
      default -> Optional.of(other(r));
    };
  }

  private AuthEvent event(AuthEvent.Type type, StaffId staff, String where, String step, String reason) {
    return new AuthEvent(type, clock.instant(), Optional.of(staff), Optional.empty(), Optional.of(where),
        Map.of("step", step, "reason", reason));
  }

  private AuthEvent failed(StaffId staff, String step, String reason, String where) {
    return event(AuthEvent.Type.LOGIN_FAILED, staff, where, step, reason);
  }

  private LoginStep recordRefusal(AuthEvent event, String reason) {
    try {
      record(event);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginStep.Unavailable();
    }
    return new LoginStep.Refused(reason);
  }

  private void record(AuthEvent event) {
    events.record(event);
  }

  private static LoginStep other(LoginResult r) {
    return switch (r) {
      case LoginResult.Locked l -> new LoginStep.Locked(l.until());
      case LoginResult.Throttled t -> new LoginStep.Throttled(t.retryAfter());
      default -> new LoginStep.Unavailable();
    };
  }

  private static String reasonName(LoginResult.Reason reason) {
    return reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  private static Optional<StaffId> parse(String username) {
    try {
      return Optional.of(StaffId.parse(username.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
