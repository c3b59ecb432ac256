package dev.custos.identity;

import dev.custos.access.StaffId;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The login of a local staff account, in two steps: the password, then a mandatory second factor
 * (a TOTP code, or a recovery code in place of a lost authenticator). It ties together the
 * throttle, the credential store, the password hasher and the factor verifiers; it knows nothing
 * of HTTP or sessions.
 *
 * <p>The caller MUST bind the second step to a first step that returned
 * {@link LoginResult.PasswordAccepted} for the same account (for instance with a short-lived,
 * single-use pending-login token) and MUST create a session only on
 * {@link LoginResult.Authenticated}. The caller owns each {@link Password} and closes it.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Every step passes {@link LoginThrottle#admit} before any credential is checked, and counts
 *       as a failed attempt until it succeeds, so password and code guesses share one limit.</li>
 *   <li>An unknown account name and a wrong password take the same path: one throttle admission,
 *       one credential lookup, one Argon2id computation at the policy's cost, one constant-time
 *       comparison; both answer {@link LoginResult.Refused}.</li>
 *   <li>A password hash below the current policy is replaced at the next correct login, by
 *       compare-and-set so a concurrent password change wins.</li>
 *   <li>Any store failure answers {@link LoginResult.Unavailable}: never a success.</li>
 * </ul>
 */
public final class LocalLogin {
  private static final System.Logger log = System.getLogger(LocalLogin.class.getName());
  private final StaffCredentialStore credentials;
  private final PasswordHasher hasher;
  private final TotpVerifier totp;
  private final RecoveryCodes recoveryCodes;
  private final LoginThrottle throttle;

  public LocalLogin(StaffCredentialStore credentials, PasswordHasher hasher, TotpVerifier totp,
      RecoveryCodes recoveryCodes, LoginThrottle throttle) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.totp = Objects.requireNonNull(totp, "totp");
    this.recoveryCodes = Objects.requireNonNull(recoveryCodes, "recoveryCodes");
    this.throttle = Objects.requireNonNull(throttle, "throttle");
  }

  /** Step one: the password of {@code username}, typed at {@code address}. */
  public LoginResult password(String username, Password password, InetAddress address) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Optional<LoginResult> gate = admit(username, address);
    if (gate.isPresent()) {
      return gate.get();
    }
    Optional<StaffId> account = parseAccount(username);
    Optional<StaffCredentials> found;
    try {
      found = account.isPresent() ? credentials.find(account.get()) : Optional.empty();
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginResult.Unavailable();
    }
    Optional<PasswordHash> stored = found.map(StaffCredentials::passwordHash);
    boolean matches;
    try {
      matches = hasher.verify(password, stored);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginResult.Unavailable();
    }
    if (!matches) {
      return new LoginResult.Refused(found.isPresent() ? LoginResult.Reason.WRONG_PASSWORD : LoginResult.Reason.UNKNOWN_ACCOUNT);
    }
    StaffCredentials holder = found.orElseThrow();
    try {
      throttle.firstFactorPassed(username);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginResult.Unavailable();
    }
    if (hasher.needsRehash(holder.passwordHash())) {
      try {
        credentials.replacePasswordHash(holder.account(), holder.passwordHash(), hasher.hash(password));
      } catch (RuntimeException e) {
        // The login itself is sound; the upgrade is retried at the next login.
      }
    }
    return new LoginResult.PasswordAccepted(holder.account());
  }

  /** Step two with an authenticator app: the TOTP {@code code} of {@code account}. */
  public LoginResult totp(StaffId account, String code, InetAddress address) {
    Objects.requireNonNull(account, "account");
    Optional<LoginResult> gate = admit(account.value(), address);
    if (gate.isPresent()) {
      return gate.get();
    }
    Optional<TotpSecret> secret;
    try {
      secret = credentials.find(account).flatMap(StaffCredentials::totpSecret);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return new LoginResult.Unavailable();
    }
    if (secret.isEmpty()) {
      return new LoginResult.Refused(LoginResult.Reason.FACTOR_NOT_ENROLLED);
    }
    return switch (totp.verify(account, secret.get(), code)) {
      case TotpCheck.Accepted a -> authenticated(account, Factor.TOTP);
      case TotpCheck.Rejected r -> switch (r.reason()) {
        case MALFORMED -> new LoginResult.Refused(LoginResult.Reason.MALFORMED_CODE);
        case WRONG_CODE -> new LoginResult.Refused(LoginResult.Reason.WRONG_CODE);
        case REPLAYED -> new LoginResult.Refused(LoginResult.Reason.REPLAYED_CODE);
        case UNAVAILABLE -> new LoginResult.Unavailable();
      };
    };
  }

  /** Step two without the authenticator: one of the recovery codes of {@code account}, which it uses up. */
  public LoginResult recoveryCode(StaffId account, String code, InetAddress address) {
    Objects.requireNonNull(account, "account");
    Optional<LoginResult> gate = admit(account.value(), address);
    if (gate.isPresent()) {
      return gate.get();
    }
    return switch (recoveryCodes.redeem(account, code)) {
      case RecoveryCheck.Accepted a -> authenticated(account, Factor.RECOVERY_CODE);
      case RecoveryCheck.Rejected r -> switch (r.reason()) {
        case MALFORMED -> new LoginResult.Refused(LoginResult.Reason.MALFORMED_CODE);
        case WRONG_CODE -> new LoginResult.Refused(LoginResult.Reason.WRONG_CODE);
        case UNAVAILABLE -> new LoginResult.Unavailable();
      };
    };
  }

  /** Empty when the attempt may go on; otherwise the answer to give. */
  private Optional<LoginResult> admit(String username, InetAddress address) {
    LoginGate gate;
    try {
      gate = throttle.admit(username, address);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a login: " + e);
      return Optional.of(new LoginResult.Unavailable());
    }
    return switch (gate) {
      case LoginGate.Allowed a -> Optional.empty();
      case LoginGate.Locked l -> Optional.of(new LoginResult.Locked(l.until()));
      case LoginGate.Throttled t -> Optional.of(new LoginResult.Throttled(t.retryAfter()));
    };
  }

  private LoginResult authenticated(StaffId account, Factor factor) {
    try {
      throttle.authenticated(account.value());
    } catch (RuntimeException e) {
      // Fail closed: no session while the shared attempt state cannot be written. The code is used
      // up, so the person logs in again with the next one.
      return new LoginResult.Unavailable();
    }
    return new LoginResult.Authenticated(account, factor);
  }

  private static Optional<StaffId> parseAccount(String username) {
    try {
      return Optional.of(StaffId.parse(username.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
