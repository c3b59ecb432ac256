package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.OidcBindingStore.Binding;
import dev.custos.identity.oidc.OidcOutcome;
import dev.custos.identity.oidc.OidcSettings;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the outcome of a single sign-on ({@link dev.custos.identity.oidc.OidcLogin#complete}) into
 * a staff session: binds the provider's {@code (issuer, subject)} to the staff id, provisions the
 * account at the first login, makes its roles follow the person's groups, and opens a complete
 * session. Every outcome is recorded through the {@link AuthEventSink} before it is returned; if
 * it cannot be recorded, no session is granted.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>A local account is never taken over: an SSO login naming the id of a local account is
 *       refused and recorded, whatever the provider says.</li>
 *   <li>A staff id is bound to one {@code (issuer, subject)} at its first SSO login
 *       ({@link OidcBindingStore}); a later login where the pair and the id disagree is refused, so
 *       renaming an account at the provider cannot make it log in as someone else.</li>
 *   <li>A suspended account gets no session. Roles are the ones the groups map to at this login;
 *       a change is applied and recorded ({@code staff.roles-changed}) before the session opens.</li>
 *   <li>The session's MFA time is set only when the ID token proves multi-factor authentication
 *       ({@code amr} or {@code acr} among the configured values): {@code auth_time} when stated
 *       (never later than now), else the time of the login.</li>
 *   <li>A store failure is {@link Outcome.Unavailable}: never a session.</li>
 * </ul>
 */
public final class StaffSingleSignOn {
  /** The session method and the {@code factor} of the auth events. */
  public static final String METHOD = "oidc";
  private static final System.Logger log = System.getLogger(StaffSingleSignOn.class.getName());

  /** What the browser is told, by class; the exact reason is for the ledger and logs only. */
  public enum Refusal {
    /** The provider's answer was refused (forged or expired login, bad token, no MFA, no role, ...). */
    NOT_VERIFIED,
    /** The account is suspended. */
    SUSPENDED,
    /** The staff id belongs to a local account, or to another identity at the provider. */
    ACCOUNT_CONFLICT
  }

  /** The outcome of {@link #finish}. */
  public sealed interface Outcome {
    /** Signed in: {@code session} is to be set as the session cookie. */
    record SignedIn(Sessions.Opened session, StaffAccount account) implements Outcome {}

    /** Refused; {@code reason} (as recorded in the ledger) is for logs, {@code refusal} for the person. */
    record Refused(Refusal refusal, String reason) implements Outcome {}

    /** The provider or a store could not be reached: fail closed. */
    record Unavailable() implements Outcome {}
  }

  private final OidcBindingStore bindings;
  private final StaffDirectory directory;
  private final StaffAdmin admin;
  private final Sessions sessions;
  private final OidcSettings settings;
  private final AuthEventSink events;
  private final InstantSource clock;

  public StaffSingleSignOn(OidcBindingStore bindings, StaffDirectory directory, StaffAdmin admin, Sessions sessions,
      OidcSettings settings, AuthEventSink events, InstantSource clock) {
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.admin = Objects.requireNonNull(admin, "admin");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Finishes a single sign-on from the provider's verdict: a session on
   * {@link OidcOutcome.Authenticated} when every rule above holds, a recorded refusal otherwise.
   * Never throws.
   */
  public Outcome finish(OidcOutcome outcome, String address, String userAgent) {
    return switch (outcome) {
      case OidcOutcome.Refused r -> {
        Map<String, String> detail = new LinkedHashMap<>();
        r.tokenProblem().ifPresent(p -> detail.put("problem", wire(p)));
        yield r.reason() == OidcOutcome.Reason.UNAVAILABLE
            ? recordUnavailable(Optional.empty(), address, wire(r.reason()))
            : refuse(Refusal.NOT_VERIFIED, wire(r.reason()), Optional.empty(), address, detail);
      }
      case OidcOutcome.Authenticated a -> signIn(a, address, userAgent);
    };
  }

  /**
   * Refuses a callback that never reached the provider's verdict ({@code reason} such as
   * {@code no-pending-login}), recording it. Never throws.
   */
  public Outcome refuse(String reason, String address) {
    return refuse(Refusal.NOT_VERIFIED, reason, Optional.empty(), address, Map.of());
  }

  private Outcome signIn(OidcOutcome.Authenticated a, String address, String userAgent) {
    StaffId staff = a.staff();
    try {
      Optional<StaffAccount> existing = directory.find(staff);
      if (existing.isPresent() && existing.get().origin() == StaffAccount.Origin.LOCAL) {
        return refuse(Refusal.ACCOUNT_CONFLICT, "local-account", Optional.of(staff), address, Map.of());
      }
      Binding binding = bindings.bind(a.issuer(), a.subject(), staff, clock.instant());
      if (!binding.accepted()) {
        Map<String, String> detail = new LinkedHashMap<>();
        if (binding == Binding.SUBJECT_BOUND_TO_OTHER_STAFF) {
          bindings.find(a.issuer(), a.subject()).ifPresent(bound -> detail.put("boundStaff", bound.value()));
        }
        return refuse(Refusal.ACCOUNT_CONFLICT, wire(binding), Optional.of(staff), address, detail);
      }
      StaffAccount account = existing.isPresent() ? existing.get() : admin.provisionOidc(StaffAccount.create(staff,
          displayName(a), a.roles(), Optional.empty(), StaffAccount.Origin.OIDC, clock.instant()));
      if (account.origin() == StaffAccount.Origin.LOCAL) { // created locally between the read and the provisioning
        return refuse(Refusal.ACCOUNT_CONFLICT, "local-account", Optional.of(staff), address, Map.of());
      }
      if (!account.isActive()) {
        return refuse(Refusal.SUSPENDED, "suspended", Optional.of(staff), address, Map.of());
      }
      if (!account.roles().equals(a.roles())) {
        if (!directory.setRoles(staff, a.roles())) {
          throw new IllegalStateException("the account " + staff + " disappeared during its login");
        }
        events.record(new AuthEvent(AuthEvent.Type.STAFF_ROLES_CHANGED, clock.instant(), Optional.of(staff),
            Optional.empty(), Optional.of(address),
            Map.of("actor", METHOD, "from", roles(account.roles()), "to", roles(a.roles()))));
        account = directory.find(staff).orElseThrow(() -> new IllegalStateException("the account " + staff + " disappeared"));
      }
      Sessions.Opened opened = sessions.openActive(staff, METHOD, mfaAt(a), address, userAgent);
      try {
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("factor", METHOD);
        detail.put("method", METHOD);
        detail.put("roles", roles(account.roles()));
        if (binding == Binding.CREATED) {
          detail.put("binding", "created");
        }
        events.record(new AuthEvent(AuthEvent.Type.LOGIN_SUCCEEDED, clock.instant(), Optional.of(staff),
            Optional.of(opened.session().handle()), Optional.of(address), detail));
      } catch (RuntimeException e) {
        sessions.logout(opened.secret()); // not recorded, not granted
        throw e;
      }
      return new Outcome.SignedIn(opened, account);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a store failed during a single sign-on: " + e);
      return new Outcome.Unavailable();
    }
  }

  /** When the second factor was proven: only if the token proves MFA; its {@code auth_time}, never later than now. */
  Optional<Instant> mfaAt(OidcOutcome.Authenticated a) {
    boolean proven = a.amr().stream().anyMatch(settings.requiredAmr()::contains)
        || a.acr().map(settings.requiredAcr()::contains).orElse(false);
    if (!proven) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return Optional.of(a.authTime().filter(t -> t.isBefore(now)).orElse(now));
  }

  private Outcome refuse(Refusal refusal, String reason, Optional<StaffId> staff, String address,
      Map<String, String> extra) {
    Map<String, String> detail = new LinkedHashMap<>(extra);
    detail.put("step", "oidc-callback");
    detail.put("factor", METHOD);
    detail.put("reason", reason);
    try {
      events.record(new AuthEvent(AuthEvent.Type.LOGIN_FAILED, clock.instant(), staff, Optional.empty(),
          Optional.of(address), detail));
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a single sign-on refusal could not be recorded: " + e);
      return new Outcome.Unavailable();
    }
    return new Outcome.Refused(refusal, reason);
  }

  private Outcome recordUnavailable(Optional<StaffId> staff, String address, String reason) {
    try {
      events.record(new AuthEvent(AuthEvent.Type.LOGIN_FAILED, clock.instant(), staff, Optional.empty(),
          Optional.of(address), Map.of("step", "oidc-callback", "factor", METHOD, "reason", reason)));
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.WARNING, "a single sign-on refusal could not be recorded: " + e);
    }
    return new Outcome.Unavailable();
  }

  private static String displayName(OidcOutcome.Authenticated a) {
    try {
      return StaffAccount.requireText(a.name().orElse(a.staff().value()), "display name", 100);
    } catch (IllegalArgumentException e) {
      return a.staff().value(); // a name the provider holds that Custos cannot show is not a reason to refuse
    }
  }

  private static String roles(Set<Role> roles) {
    return String.join(",", roles.stream().map(Role::wireName).sorted().toList());
  }

  private static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
