package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * What administrators and security do to staff accounts: create, suspend, restore, reset factors.
 * The same rules hold whether the request comes from the console, the API or {@code custos staff}.
 * Every change is recorded through the {@link AuthEventSink} with who did it ({@code actor}).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A local account gets its password (checked against the {@link PasswordPolicy}), a TOTP secret
 *       and recovery codes at creation: a second factor is never optional.</li>
 *   <li>Suspension ({@link StaffDirectory#suspend}) revokes every session in the same transaction.
 *       Anyone allowed to call it may contain; containment fails safe.</li>
 *   <li>Restoring needs a reason and an active security analyst who is not the person restored.</li>
 *   <li>Resetting factors removes TOTP, WebAuthn credentials and recovery codes, revokes every
 *       session, and issues a fresh TOTP secret and recovery codes to hand over out of band.</li>
 * </ul>
 */
public final class StaffAdmin {
  /** A new (or reset) account's second factors, shown once to whoever hands them over. */
  public record Enrolment(StaffAccount account, OtpauthUri totp, IssuedRecoveryCodes recoveryCodes) {}

  /** The outcome of an administrative change. */
  public sealed interface Outcome<T> {
    record Done<T>(T value) implements Outcome<T> {}

    /** Refused by a rule; {@code field} names the offending input, {@code message} says why. */
    record Refused<T>(String field, String message) implements Outcome<T> {}

    record NotFound<T>(StaffId id) implements Outcome<T> {}
  }

  private final StaffDirectory directory;
  private final StaffCredentialStore credentials;
  private final RecoveryCodes recoveryCodes;
  private final Sessions sessions;
  private final PasswordHasher hasher;
  private final PasswordPolicy passwordPolicy;
  private final ToIntFunction<StaffId> removeWebAuthn;
  private final AuthEventSink events;
  private final InstantSource clock;
  private final SecureRandom random;

  public StaffAdmin(StaffDirectory directory, StaffCredentialStore credentials, RecoveryCodes recoveryCodes,
      Sessions sessions, PasswordHasher hasher, PasswordPolicy passwordPolicy, ToIntFunction<StaffId> removeWebAuthn,
      AuthEventSink events, InstantSource clock, SecureRandom random) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.recoveryCodes = Objects.requireNonNull(recoveryCodes, "recoveryCodes");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.passwordPolicy = Objects.requireNonNull(passwordPolicy, "passwordPolicy");
    this.removeWebAuthn = Objects.requireNonNull(removeWebAuthn, "removeWebAuthn");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Creates a local account with {@code password}, a confirmed TOTP secret and recovery codes. */
  public Outcome<Enrolment> createLocal(StaffAccount account, Password password, String actor) {
    if (account.origin() != StaffAccount.Origin.LOCAL) {
      return new Outcome.Refused<>("origin", "only local accounts are created with a password");
    }
    if (passwordPolicy.check(account.id().value(), password) instanceof PasswordPolicy.Unacceptable u) {
      return new Outcome.Refused<>("password", describe(u.reason()));
    }
    PasswordHash hash = hasher.hash(password);
    if (!directory.create(account, Optional.of(hash))) {
      return new Outcome.Refused<>("id", "a staff account named " + account.id() + " exists");
    }
    events.record(AuthEvent.of(AuthEvent.Type.STAFF_CREATED, clock.instant(), account.id(),
        Map.of("actor", actor, "roles", roles(account), "origin", "local")));
    return new Outcome.Done<>(enrolFactors(account, actor));
  }

  /** Creates an account vouched for by the OIDC provider (no password, no local factors), or finds it. */
  public StaffAccount provisionOidc(StaffAccount account) {
    if (directory.create(account, Optional.empty())) {
      events.record(AuthEvent.of(AuthEvent.Type.STAFF_CREATED, clock.instant(), account.id(),
          Map.of("actor", "oidc", "roles", roles(account), "origin", "oidc")));
      return account;
    }
    return directory.find(account.id()).orElseThrow();
  }

  /** Contains {@code id}: suspended, every session revoked. @return the number of sessions revoked */
  public Outcome<Integer> suspend(StaffId id, String reason, String actor) {
    String why;
    try {
      why = StaffAccount.requireText(reason, "reason", 500);
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused<>("reason", e.getMessage());
    }
    Optional<Integer> revoked = directory.suspend(id, why, clock.instant());
    if (revoked.isEmpty()) {
      return new Outcome.NotFound<>(id);
    }
    events.record(AuthEvent.of(AuthEvent.Type.STAFF_SUSPENDED, clock.instant(), id,
        Map.of("actor", actor, "reason", why, "sessionsRevoked", Integer.toString(revoked.get()))));
    return new Outcome.Done<>(revoked.get());
  }

  /** Lifts a containment. {@code analyst} must be an active security analyst other than {@code id}. */
  public Outcome<StaffAccount> restore(StaffId id, String reason, StaffId analyst, String actor) {
    String why;
    try {
      why = StaffAccount.requireText(reason, "reason", 500);
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused<>("reason", e.getMessage());
    }
    if (analyst.equals(id)) {
      return new Outcome.Refused<>("by", "nobody restores themselves");
    }
    Optional<StaffAccount> by = directory.find(analyst);
    if (by.isEmpty() || !by.get().isActive() || !by.get().hasRole(Role.SECURITY_ANALYST)) {
      return new Outcome.Refused<>("by", analyst + " is not an active security analyst");
    }
    if (directory.find(id).isEmpty()) {
      return new Outcome.NotFound<>(id);
    }
    if (!directory.restore(id, why, clock.instant())) {
      return new Outcome.Refused<>("id", id + " is not suspended");
    }
    events.record(AuthEvent.of(AuthEvent.Type.STAFF_RESTORED, clock.instant(), id,
        Map.of("actor", actor, "analyst", analyst.value(), "reason", why)));
    return new Outcome.Done<>(directory.find(id).orElseThrow());
  }

  /**
   * Adds {@code role} to the roles of local account {@code id} (an approved {@code role-grant} request
   * executes this). Idempotent: granting a role already held changes and records nothing. A single
   * sign-on account's roles follow its groups at the provider, so it is refused.
   */
  public Outcome<StaffAccount> grantRole(StaffId id, Role role, String actor) {
    Optional<StaffAccount> found = directory.find(id);
    if (found.isEmpty()) {
      return new Outcome.NotFound<>(id);
    }
    StaffAccount account = found.get();
    if (account.origin() != StaffAccount.Origin.LOCAL) {
      return new Outcome.Refused<>("staff", id + " signs in through single sign-on: its roles follow its groups there");
    }
    if (account.hasRole(role)) {
      return new Outcome.Done<>(account);
    }
    java.util.Set<Role> roles = java.util.EnumSet.copyOf(account.roles());
    roles.add(role);
    if (!directory.setRoles(id, roles)) {
      return new Outcome.NotFound<>(id);
    }
    events.record(AuthEvent.of(AuthEvent.Type.STAFF_ROLES_CHANGED, clock.instant(), id,
        Map.of("actor", actor, "from", names(account.roles()), "to", names(roles))));
    return new Outcome.Done<>(directory.find(id).orElseThrow());
  }

  /**
   * Links account {@code id} to the person behind it (or removes the link, empty) in {@code links};
   * recorded with who did it. Two accounts linked to one person count as one for approvals.
   */
  public Outcome<String> linkPerson(PersonLinks links, StaffId id, Optional<String> person, String actor) {
    try {
      person.ifPresent(PersonLinks::requirePerson);
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused<>("person", e.getMessage());
    }
    if (!links.link(id, person)) {
      return new Outcome.NotFound<>(id);
    }
    events.record(AuthEvent.of(AuthEvent.Type.STAFF_PERSON_CHANGED, clock.instant(), id,
        Map.of("actor", actor, "person", person.orElse("none"))));
    return new Outcome.Done<>(person.orElse(id.value()));
  }

  private static String names(java.util.Set<Role> roles) {
    return roles.stream().map(Role::wireName).sorted().collect(java.util.stream.Collectors.joining(","));
  }

  /**
   * Sets or clears (empty) the shift of {@code id}; recorded with who did it and the shift's text
   * form, so detection can tell later which shift was in force.
   */
  public Outcome<StaffAccount> setShift(StaffId id, Optional<dev.custos.access.Shift> shift, String actor) {
    if (!directory.setShift(id, shift)) {
      return new Outcome.NotFound<>(id);
    }
    events.record(AuthEvent.of(AuthEvent.Type.STAFF_SHIFT_CHANGED, clock.instant(), id,
        Map.of("actor", actor, "shift", shift.map(Object::toString).orElse("none"))));
    return new Outcome.Done<>(directory.find(id).orElseThrow());
  }

  /**
   * Removes every second factor of a local account and revokes its sessions, then issues a fresh TOTP
   * secret and recovery codes (for a person who lost everything, or whose factors may be compromised).
   */
  public Outcome<Enrolment> resetFactors(StaffId id, String reason, String actor) {
    String why;
    try {
      why = StaffAccount.requireText(reason, "reason", 500);
    } catch (IllegalArgumentException e) {
      return new Outcome.Refused<>("reason", e.getMessage());
    }
    Optional<StaffAccount> account = directory.find(id);
    if (account.isEmpty()) {
      return new Outcome.NotFound<>(id);
    }
    if (account.get().origin() != StaffAccount.Origin.LOCAL) {
      return new Outcome.Refused<>("id", id + " signs in through the OIDC provider, which holds their factors");
    }
    credentials.removeTotp(id);
    int keys = removeWebAuthn.applyAsInt(id);
    int revoked = sessions.revokeAll(id, "factors-reset");
    events.record(AuthEvent.of(AuthEvent.Type.FACTORS_RESET, clock.instant(), id, Map.of("actor", actor,
        "reason", why, "webauthnRemoved", Integer.toString(keys), "sessionsRevoked", Integer.toString(revoked))));
    return new Outcome.Done<>(enrolFactors(account.get(), actor));
  }

  private Enrolment enrolFactors(StaffAccount account, String actor) {
    TotpSecret secret = TotpSecret.generate(Totp.DEFAULT.algorithm(), random);
    if (!credentials.setPendingTotp(account.id(), secret) || !credentials.confirmTotp(account.id(), secret)) {
      throw new IllegalStateException("the TOTP secret of " + account.id() + " could not be stored");
    }
    events.record(AuthEvent.of(AuthEvent.Type.FACTOR_ENROLLED, clock.instant(), account.id(),
        Map.of("actor", actor, "factor", Factor.TOTP.wireName())));
    IssuedRecoveryCodes codes = recoveryCodes.issue(account.id());
    events.record(AuthEvent.of(AuthEvent.Type.RECOVERY_CODES_ISSUED, clock.instant(), account.id(),
        Map.of("actor", actor, "count", Integer.toString(RecoveryCodes.COUNT))));
    return new Enrolment(account, OtpauthUri.forEnrolment(OtpauthUri.DEFAULT_ISSUER, account.id(), secret, Totp.DEFAULT),
        codes);
  }

  private String describe(PasswordPolicy.Reason reason) {
    return switch (reason) {
      case TOO_SHORT -> "password must be at least " + passwordPolicy.minLength() + " characters";
      case TOO_LONG -> "password must be at most " + passwordPolicy.maxLength() + " characters";
      case CONTAINS_USERNAME -> "password must not contain the account name";
      case TOO_COMMON -> "password is too common";
      case REPETITIVE -> "password is a repetition or a run of characters";
    };
  }

  private static String roles(StaffAccount account) {
    return account.roles().stream().map(Role::wireName).sorted().reduce((a, b) -> a + "," + b).orElse("");
  }
}
