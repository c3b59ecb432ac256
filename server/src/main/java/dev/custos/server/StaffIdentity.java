package dev.custos.server;

import dev.custos.identity.Argon2Cost;
import dev.custos.identity.IdentityRetention;
import dev.custos.identity.StaffSingleSignOn;
import dev.custos.identity.oidc.OidcSettings;
import dev.custos.store.OidcBindingTable;
import dev.custos.identity.LocalLogin;
import dev.custos.identity.LoginThrottle;
import dev.custos.identity.OwnFactors;
import dev.custos.identity.PasswordHasher;
import dev.custos.identity.PasswordPolicy;
import dev.custos.identity.RecoveryCodes;
import dev.custos.identity.SecretBox;
import dev.custos.identity.SessionPolicy;
import dev.custos.access.ChangeFeed;
import dev.custos.identity.RecentSessions;
import dev.custos.identity.SessionStore;
import dev.custos.identity.Sessions;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.StaffCredentialStore;
import dev.custos.identity.StaffDirectory;
import dev.custos.identity.StaffLogins;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpVerifier;
import dev.custos.identity.WebAuthnSecondFactor;
import dev.custos.identity.webauthn.WebAuthn;
import dev.custos.identity.webauthn.WebAuthnSettings;
import dev.custos.store.WebAuthnCredentialTable;
import dev.custos.ledger.Ledger;
import dev.custos.store.LoginAttemptTable;
import dev.custos.store.RecoveryCodeTable;
import dev.custos.store.SessionTable;
import dev.custos.store.StaffCredentialTable;
import dev.custos.store.StaffTable;
import dev.custos.store.TotpReplayTable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The staff-identity services of one installation, wired over its database and ledger: accounts,
 * credentials, sessions, logins, administration and each person's own factors. Policy lives in
 * {@code identity}; this class only connects it.
 */
final class StaffIdentity {
  final StaffDirectory directory;
  /** Which person is behind each account (approvals count a person once). */
  final dev.custos.identity.PersonLinks persons;
  final StaffCredentialStore credentials;
  final Sessions sessions;
  final StaffLogins logins;
  final StaffAdmin admin;
  final OwnFactors ownFactors;
  final AuthEvents events;
  final PasswordHasher hasher;
  /** Seals small secrets with the staff-secrets key (TOTP secrets, the pending SSO login's cookie). */
  final SecretBox secrets;
  /** Single sign-on after the provider's verdict, when {@code oidc.issuer} is set. */
  final Optional<StaffSingleSignOn> singleSignOn;
  /** The periodic purge of ended sessions, old login attempts and spent TOTP steps. */
  final IdentityRetention retention;
  /**
   * Sessions recently found live, with their accounts, for at most {@link #SESSION_CACHE_TTL}; every
   * session and account store below is watched by it, so any change made here ends them at once.
   */
  final RecentSessions recentSessions;

  /**
   * The longest a working session goes unread: another instance's revocation or suspension reaches
   * this one when its change-feed message arrives (milliseconds), or at the latest after this.
   */
  static final Duration SESSION_CACHE_TTL = Duration.ofSeconds(5);

  StaffIdentity(DataSource db, byte[] secretsKey, Ledger ledger, WebAuthnSettings webAuthnSettings,
      Optional<OidcSettings> oidc, SessionPolicy sessionPolicy, ChangeFeed changes, InstantSource clock, SecureRandom random) {
    this.events = new AuthEvents(ledger);
    this.recentSessions = new RecentSessions(SESSION_CACHE_TTL, clock, changes);
    StaffTable staffTable = new StaffTable(db);
    this.directory = recentSessions.watching(staffTable);
    this.persons = staffTable;
    this.secrets = new SecretBox(secretsKey, random);
    this.credentials = new StaffCredentialTable(db, secrets);
    SessionStore sessionTable = recentSessions.watching(new SessionTable(db));
    this.sessions = new Sessions(sessionTable, sessionPolicy, clock, random);
    this.hasher = new PasswordHasher(Argon2Cost.DEFAULT, Math.max(2, Runtime.getRuntime().availableProcessors()), random);
    TotpVerifier totp = new TotpVerifier(Totp.DEFAULT, new TotpReplayTable(db), clock);
    RecoveryCodes recoveryCodes = new RecoveryCodes(new RecoveryCodeTable(db), random);
    LoginAttemptTable attempts = new LoginAttemptTable(db);
    LoginThrottle throttle = new LoginThrottle(attempts, LoginThrottle.Settings.DEFAULT, clock);
    this.retention = new IdentityRetention(sessionTable, attempts, totp, IdentityRetention.DEFAULT_SESSION_RETENTION,
        LoginThrottle.Settings.DEFAULT, clock);
    LocalLogin local = new LocalLogin(credentials, hasher, totp, recoveryCodes, throttle);
    WebAuthnCredentialTable webAuthnStore = new WebAuthnCredentialTable(db);
    WebAuthn webAuthn = new WebAuthn(webAuthnSettings, webAuthnStore, clock, random);
    this.logins = new StaffLogins(local, sessions, directory, credentials, recoveryCodes,
        new WebAuthnSecondFactor(webAuthn, webAuthnStore), events, clock);
    this.admin = new StaffAdmin(directory, credentials, recoveryCodes, sessions, hasher, PasswordPolicy.DEFAULT,
        webAuthnStore::removeAll, events, clock, random);
    this.ownFactors = new OwnFactors(credentials, totp, recoveryCodes, logins, webAuthn, webAuthnStore, events, clock,
        random);
    this.singleSignOn = oidc.map(settings -> new StaffSingleSignOn(new OidcBindingTable(db), directory, admin, sessions,
        settings, events, clock));
  }

  /**
   * The WebAuthn relying party: {@code webauthn.rp-id} and {@code webauthn.origins}; by default
   * {@code localhost} and the origin {@code http://localhost:<port>} (browsers treat localhost as a
   * secure context).
   */
  static WebAuthnSettings webAuthnSettings(CustosConfig config) {
    return config.webAuthn();
  }
}
