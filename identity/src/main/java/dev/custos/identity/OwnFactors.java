package dev.custos.identity;

import dev.custos.access.StaffId;
import dev.custos.identity.webauthn.CredentialId;
import dev.custos.identity.webauthn.Registration;
import dev.custos.identity.webauthn.RegistrationStart;
import dev.custos.identity.webauthn.WebAuthn;
import dev.custos.identity.webauthn.WebAuthnCredential;
import dev.custos.identity.webauthn.WebAuthnCredentialStore;
import java.util.List;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A person managing their own second factors from a complete session: enrol a TOTP authenticator
 * (begin, then confirm with a code, so a mistyped secret never locks anyone out), remove it, and
 * replace their recovery codes. The caller MUST require a recent step-up before each change; every
 * change is recorded.
 *
 * <p>Rule: nobody removes their last second factor (recovery codes do not count), so an account
 * never drops to a password alone.
 */
public final class OwnFactors {
  /** The outcome of a change. */
  public sealed interface Change {
    record Done() implements Change {}

    /** Refused by a rule or a wrong code; {@code message} is safe to show. */
    record Refused(String field, String message) implements Change {}
  }

  private final StaffCredentialStore credentials;
  private final TotpVerifier totp;
  private final RecoveryCodes recoveryCodes;
  private final StaffLogins logins;
  private final WebAuthn webAuthn;
  private final WebAuthnCredentialStore webAuthnCredentials;
  private final AuthEventSink events;
  private final InstantSource clock;
  private final SecureRandom random;

  public OwnFactors(StaffCredentialStore credentials, TotpVerifier totp, RecoveryCodes recoveryCodes, StaffLogins logins,
      WebAuthn webAuthn, WebAuthnCredentialStore webAuthnCredentials, AuthEventSink events, InstantSource clock,
      SecureRandom random) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.totp = Objects.requireNonNull(totp, "totp");
    this.recoveryCodes = Objects.requireNonNull(recoveryCodes, "recoveryCodes");
    this.logins = Objects.requireNonNull(logins, "logins");
    this.webAuthn = Objects.requireNonNull(webAuthn, "webAuthn");
    this.webAuthnCredentials = Objects.requireNonNull(webAuthnCredentials, "webAuthnCredentials");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The second factors {@code staff} has, and how many recovery codes are left. */
  public record Summary(Set<Factor> factors, int recoveryCodesLeft) {}

  public Summary summary(StaffId staff) {
    return new Summary(logins.factors(staff), recoveryCodes.remaining(staff));
  }

  /** Starts enrolling a (new) authenticator: a fresh secret, pending until {@link #confirmTotp}. */
  public OtpauthUri beginTotp(StaffId staff) {
    TotpSecret secret = TotpSecret.generate(Totp.DEFAULT.algorithm(), random);
    if (!credentials.setPendingTotp(staff, secret)) {
      throw new IllegalStateException(staff + " has no local credentials");
    }
    return OtpauthUri.forEnrolment(OtpauthUri.DEFAULT_ISSUER, staff, secret, Totp.DEFAULT);
  }

  /** Confirms the pending authenticator with a code it shows; it then replaces any earlier one. */
  public Change confirmTotp(StaffId staff, String code) {
    var pending = credentials.pendingTotp(staff);
    if (pending.isEmpty()) {
      return new Change.Refused("code", "no authenticator enrolment is under way; start one first");
    }
    if (!(totp.verify(staff, pending.get(), code) instanceof TotpCheck.Accepted)) {
      return new Change.Refused("code", "the code does not match the new authenticator; try the next one");
    }
    if (!credentials.confirmTotp(staff, pending.get())) {
      return new Change.Refused("code", "another enrolment was started meanwhile; start again");
    }
    events.record(AuthEvent.of(AuthEvent.Type.FACTOR_ENROLLED, clock.instant(), staff,
        Map.of("actor", "self", "factor", Factor.TOTP.wireName())));
    return new Change.Done();
  }

  /** Removes the authenticator, unless it is the last second factor. */
  public Change removeTotp(StaffId staff) {
    Set<Factor> factors = logins.factors(staff);
    if (!factors.contains(Factor.TOTP)) {
      return new Change.Refused("factor", "no authenticator app is enrolled");
    }
    if (webAuthnCredentials.forStaff(staff).isEmpty()) {
      return new Change.Refused("factor", "this is your last second factor; enrol a security key first");
    }
    credentials.removeTotp(staff);
    events.record(AuthEvent.of(AuthEvent.Type.FACTOR_REMOVED, clock.instant(), staff,
        Map.of("actor", "self", "factor", Factor.TOTP.wireName())));
    return new Change.Done();
  }

  /** The WebAuthn credentials of {@code staff} (public material only). */
  public List<WebAuthnCredential> webAuthnCredentials(StaffId staff) {
    return webAuthnCredentials.forStaff(staff);
  }

  /** Starts registering a security key or passkey; the request JSON is kept server side until {@link #finishWebAuthn}. */
  public RegistrationStart beginWebAuthn(StaffId staff, String displayName) {
    return webAuthn.startRegistration(staff, displayName);
  }

  /** Finishes a registration with the browser's answer. */
  public Change finishWebAuthn(StaffId staff, String requestJson, String responseJson, String nickname) {
    return switch (webAuthn.finishRegistration(staff, requestJson, responseJson, nickname)) {
      case Registration.Registered r -> {
        events.record(AuthEvent.of(AuthEvent.Type.FACTOR_ENROLLED, clock.instant(), staff, Map.of("actor", "self",
            "factor", Factor.WEBAUTHN.wireName(), "credential", r.credential().credentialId().base64Url())));
        yield new Change.Done();
      }
      case Registration.Refused r -> new Change.Refused(r.reason() == Registration.Reason.INVALID_NICKNAME ? "nickname"
          : r.reason() == Registration.Reason.TOO_MANY_CREDENTIALS || r.reason() == Registration.Reason.ALREADY_REGISTERED
              ? "factor" : "credential",
          "the security key was not registered: " + r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    };
  }

  /** Removes one security key or passkey, unless it is the last second factor. */
  public Change removeWebAuthn(StaffId staff, CredentialId id) {
    List<WebAuthnCredential> mine = webAuthnCredentials.forStaff(staff);
    if (mine.stream().noneMatch(c -> c.credentialId().equals(id))) {
      return new Change.Refused("id", "you have no such security key");
    }
    boolean totpLeft = logins.factors(staff).contains(Factor.TOTP);
    if (mine.size() == 1 && !totpLeft) {
      return new Change.Refused("factor", "this is your last second factor; enrol another first");
    }
    if (webAuthnCredentials.remove(staff, id)) {
      events.record(AuthEvent.of(AuthEvent.Type.FACTOR_REMOVED, clock.instant(), staff,
          Map.of("actor", "self", "factor", Factor.WEBAUTHN.wireName(), "credential", id.base64Url())));
    }
    return new Change.Done();
  }

  /** A new set of recovery codes, voiding the old. */
  public IssuedRecoveryCodes renewRecoveryCodes(StaffId staff) {
    IssuedRecoveryCodes codes = recoveryCodes.issue(staff);
    events.record(AuthEvent.of(AuthEvent.Type.RECOVERY_CODES_ISSUED, clock.instant(), staff,
        Map.of("actor", "self", "count", Integer.toString(RecoveryCodes.COUNT))));
    return codes;
  }
}
