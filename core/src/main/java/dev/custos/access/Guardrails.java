package dev.custos.access;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Synchronous per-staff quotas that stop bulk reading at once, shared by every instance through a
 * {@link QuotaStore}. The broker calls it after a permit and before the data leaves; an
 * {@link QuotaCheck.Exceeded} turns the permit into a {@link DenyReason#QUOTA_EXCEEDED} deny.
 *
 * <p>Quotas ({@link QuotaSettings}): distinct customers outside assigned tickets per hour
 * ({@value #OFF_TICKET_HOUR}) and per day ({@value #OFF_TICKET_DAY}), reveals per hour
 * ({@value #REVEALS}), searches per hour ({@value #SEARCHES}), distinct customers under
 * break-glass per day ({@value #BREAK_GLASS}). What counts where depends on the {@link Basis}:
 * <ul>
 *   <li>{@link Basis#ASSIGNED_TICKET}: no customer counting (reveals still count);</li>
 *   <li>{@link Basis#OFF_TICKET} (a ticket staff created themselves): counted and limited by the
 *       off-ticket quotas — with the default 0, such views are refused;</li>
 *   <li>{@link Basis#CASE}: counted in the off-ticket counters but not limited by them (the case
 *       limits them: an approved, bounded list of customers);</li>
 *   <li>{@link Basis#BREAK_GLASS}: counted in the off-ticket counters, limited by the break-glass quota.</li>
 * </ul>
 */
public final class Guardrails {
  public static final String OFF_TICKET_HOUR = "off-ticket-customers-per-hour";
  public static final String OFF_TICKET_DAY = "off-ticket-customers-per-day";
  public static final String REVEALS = "reveals-per-hour";
  public static final String SEARCHES = "searches-per-hour";
  public static final String BREAK_GLASS = "break-glass-customers-per-day";

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);

  /** On what grounds the staff member sees the customer. */
  public enum Basis {
    /** An open ticket of the ticket system assigned to them. */
    ASSIGNED_TICKET,
    /** Outside assigned tickets, with no other limit (a ticket staff created themselves). */
    OFF_TICKET,
    /** An approved case. */
    CASE,
    /** Break-glass. */
    BREAK_GLASS
  }

  private final QuotaStore store;
  private final QuotaSettings settings;

  public Guardrails(QuotaStore store, QuotaSettings settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Checks and records one use, with {@code onAssignedTicket} meaning {@link Basis#ASSIGNED_TICKET}
   * and otherwise {@link Basis#OFF_TICKET}. Case and break-glass accesses MUST use
   * {@link #checkAndRecord(StaffId, Action, CustomerId, Basis, Instant)} or
   * {@link #checkAndRecord(AccessRequest, Decision.Permit)}, or the off-ticket quota refuses them.
   */
  public QuotaCheck checkAndRecord(StaffId staff, Action action, CustomerId customer, boolean onAssignedTicket,
      Instant now) {
    return checkAndRecord(staff, action, customer, onAssignedTicket ? Basis.ASSIGNED_TICKET : Basis.OFF_TICKET, now);
  }

  /**
   * Checks and records the use a permit is about to make, its basis taken from the purpose and
   * the permit's obligations.
   */
  public QuotaCheck checkAndRecord(AccessRequest request, Decision.Permit permit) {
    Basis basis = switch (request.purpose()) {
      case Purpose.Ticket t -> permit.requires(Obligation.COUNT_OFF_TICKET) ? Basis.OFF_TICKET : Basis.ASSIGNED_TICKET;
      case Purpose.Case c -> Basis.CASE;
      case Purpose.BreakGlass b -> Basis.BREAK_GLASS;
      case Purpose.None n -> request.action() == Action.SEARCH ? Basis.ASSIGNED_TICKET : Basis.OFF_TICKET;
    };
    return checkAndRecord(request.staff().id(), request.action(), request.customer(), basis, request.now());
  }

  /**
   * Checks and records one use. {@code customer} may be null only for a search. Atomic across
   * instances (see {@link QuotaStore}); nothing is recorded when a quota is exceeded.
   *
   * @throws RuntimeException when the store fails: the caller MUST deny (fail closed)
   */
  public QuotaCheck checkAndRecord(StaffId staff, Action action, CustomerId customer, Basis basis, Instant now) {
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(now, "now");
    if (customer == null && action != Action.SEARCH) {
      throw new IllegalArgumentException("customer is required for " + action.wireName());
    }
    List<QuotaUse> uses = new ArrayList<>(4);
    if (action == Action.SEARCH) {
      uses.add(QuotaUse.counting(SEARCHES, settings.searchesPerHour(), HOUR));
    } else {
      if (action == Action.REVEAL) {
        uses.add(QuotaUse.counting(REVEALS, settings.revealsPerHour(), HOUR));
      }
      if (basis == Basis.BREAK_GLASS) {
        uses.add(QuotaUse.distinct(BREAK_GLASS, customer.value(), settings.breakGlassCustomersPerDay(), DAY));
      }
      if (basis != Basis.ASSIGNED_TICKET) {
        boolean limited = basis == Basis.OFF_TICKET;
        uses.add(QuotaUse.distinct(OFF_TICKET_HOUR, customer.value(),
            limited ? settings.offTicketCustomersPerHour() : QuotaUse.UNLIMITED, HOUR));
        uses.add(QuotaUse.distinct(OFF_TICKET_DAY, customer.value(),
            limited ? settings.offTicketCustomersPerDay() : QuotaUse.UNLIMITED, DAY));
      }
    }
    if (uses.isEmpty()) {
      return QuotaCheck.ALLOWED;
    }
    return switch (store.checkAndRecord(staff, uses, now)) {
      case QuotaStore.Admitted a -> QuotaCheck.ALLOWED;
      case QuotaStore.Refused r -> {
        Optional<Duration> retry = r.use().limit() == 0 || r.oldest().isEmpty() ? Optional.empty()
            : Optional.of(maxZero(Duration.between(now, r.oldest().get().plus(r.use().window()))));
        yield new QuotaCheck.Exceeded(r.use().quota(), r.use().limit(), r.use().window(), retry);
      }
    };
  }

  private static Duration maxZero(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
