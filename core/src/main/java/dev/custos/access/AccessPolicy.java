package dev.custos.access;

import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.Mask;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether a member of staff may see a customer's data, which fields and how masked: the one
 * place of Custos where access is granted. Rules, in the order they are evaluated (ids as they
 * appear in {@link Decision#rules()}; docs/design/access-policy.md explains each):
 *
 * <ol>
 *   <li>{@value #REQUEST} — the request is well formed (a reveal names fields, a search names one);</li>
 *   <li>{@value #STAFF_ACTIVE} — the staff member is active (not suspended);</li>
 *   <li>{@value #ROLE_SEES_DATA} — some role of theirs sees customer data at all;</li>
 *   <li>for a search: {@value #SEARCH} — the field is searchable and visible to a role; the result is
 *       the minimal search plan, masked;</li>
 *   <li>{@value #PURPOSE_FITS} — a purpose is given and fits the action (break-glass gives masked
 *       views only);</li>
 *   <li>one of {@value #TICKET} (open, assigned to them, requested by this customer),
 *       {@value #CASE} (approved by another lead, running, they are a member, it lists the customer)
 *       or {@value #BREAK_GLASS} (a break-glass role and a real reason);</li>
 *   <li>for a view: {@value #FIELDS} — every requested field is known and visible to a role; the plan
 *       masks each by the catalogue;</li>
 *   <li>for a reveal: {@value #REVEAL} — every requested field may be revealed by a role (else a deny
 *       naming the fields), {@value #REASON} — a real reason, {@value #STEP_UP} — a second factor within
 *       the window.</li>
 * </ol>
 *
 * <p>Security guarantees: {@link #decide} never throws; any error while deciding is a
 * {@link DenyReason#POLICY_ERROR} deny. A deny carries no field. A permit shows only fields some
 * role of the staff member may view, and unmasks only fields some role may reveal. {@code decide}
 * is pure (no clock, no I/O: the request carries {@code now} and the loaded facts) and thread-safe;
 * the plans of every role set are built once, here.
 */
public final class AccessPolicy {
  static final String REQUEST = "request-well-formed";
  static final String STAFF_ACTIVE = "staff-active";
  static final String ROLE_SEES_DATA = "role-sees-customer-data";
  static final String SEARCH = "search-field";
  static final String PURPOSE_FITS = "purpose-fits-action";
  static final String TICKET = "purpose-ticket";
  static final String CASE = "purpose-case";
  static final String BREAK_GLASS = "purpose-break-glass";
  static final String FIELDS = "fields-by-role";
  static final String REVEAL = "reveal-by-role";
  static final String REASON = "reason-real";
  static final String STEP_UP = "step-up-fresh";
  static final String ERROR = "policy-error";

  /** Every rule id, in evaluation order. */
  public static final List<String> RULES = List.of(REQUEST, STAFF_ACTIVE, ROLE_SEES_DATA, SEARCH, PURPOSE_FITS, TICKET,
      CASE, BREAK_GLASS, FIELDS, REVEAL, REASON, STEP_UP);

  private static final Role[] ROLES = Role.values();
  private static final int ROLE_SETS = 1 << ROLES.length;

  private static final List<String> R_VIEW_TICKET = List.of(STAFF_ACTIVE, ROLE_SEES_DATA, PURPOSE_FITS, TICKET, FIELDS);
  private static final List<String> R_VIEW_CASE = List.of(STAFF_ACTIVE, ROLE_SEES_DATA, PURPOSE_FITS, CASE, FIELDS);
  private static final List<String> R_VIEW_BREAK_GLASS = List.of(STAFF_ACTIVE, ROLE_SEES_DATA, PURPOSE_FITS, BREAK_GLASS,
      FIELDS);
  private static final List<String> R_REVEAL_TICKET = List.of(STAFF_ACTIVE, ROLE_SEES_DATA, PURPOSE_FITS, TICKET, REVEAL,
      REASON, STEP_UP);
  private static final List<String> R_REVEAL_CASE = List.of(STAFF_ACTIVE, ROLE_SEES_DATA, PURPOSE_FITS, CASE, REVEAL,
      REASON, STEP_UP);
  private static final List<String> R_SEARCH = List.of(STAFF_ACTIVE, ROLE_SEES_DATA, SEARCH);
  private static final List<Obligation> NO_OBLIGATIONS = List.of();
  private static final List<Obligation> OFF_TICKET = List.of(Obligation.COUNT_OFF_TICKET);
  private static final List<Obligation> BREAK_GLASS_OBLIGATIONS = List.of(Obligation.ALERT_SECURITY,
      Obligation.QUEUE_REVIEW, Obligation.COUNT_OFF_TICKET);
  private static final Decision.Deny ERROR_DENY = new Decision.Deny(DenyReason.POLICY_ERROR,
      "the access policy could not evaluate this request; denied", List.of(ERROR));

  /** Per field: which roles view it, which reveal it (bits by role ordinal), its mask. */
  private record FieldRule(Field field, int viewers, int revealers, Mask mask) {}

  private final FieldCatalogue catalogue;
  private final PolicySettings settings;
  private final RuleProbe probe;
  private final Map<Field, FieldRule> fields;
  private final List<FieldRule> ordered;
  private final MaskPlan[] viewPlans;
  private final MaskPlan[] searchPlans;
  private final int breakGlassRoles;
  private final Map<String, List<String>> single = new HashMap<>();

  /** A policy over {@code catalogue} with {@code settings}; refuses settings naming fields the catalogue lacks. */
  public AccessPolicy(FieldCatalogue catalogue, PolicySettings settings) {
    this(catalogue, settings, RuleProbe.NONE);
  }

  AccessPolicy(FieldCatalogue catalogue, PolicySettings settings, RuleProbe probe) {
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.probe = Objects.requireNonNull(probe, "probe");
    for (Field f : settings.searchableFields()) {
      if (!catalogue.contains(f)) {
        throw new IllegalArgumentException("searchableFields: the catalogue has no field " + f);
      }
    }
    for (Field f : settings.searchResultFields()) {
      if (!catalogue.contains(f)) {
        throw new IllegalArgumentException("searchResultFields: the catalogue has no field " + f);
      }
    }
    Map<Field, FieldRule> byField = new HashMap<>();
    List<FieldRule> inOrder = new ArrayList<>();
    for (FieldSpec s : catalogue.specs()) {
      FieldRule r = new FieldRule(s.field(), bits(s.viewers()), bits(s.revealers()), s.defaultMask());
      byField.put(s.field(), r);
      inOrder.add(r);
    }
    this.fields = Map.copyOf(byField);
    this.ordered = List.copyOf(inOrder);
    this.viewPlans = new MaskPlan[ROLE_SETS];
    this.searchPlans = new MaskPlan[ROLE_SETS];
    for (int set = 0; set < ROLE_SETS; set++) {
      Map<Field, Mask> view = new LinkedHashMap<>();
      Map<Field, Mask> search = new LinkedHashMap<>();
      for (FieldRule r : ordered) {
        if ((r.viewers & set) != 0) {
          view.put(r.field, r.mask);
          if (settings.searchResultFields().contains(r.field)) {
            search.put(r.field, r.mask);
          }
        }
      }
      viewPlans[set] = MaskPlan.of(view);
      searchPlans[set] = MaskPlan.of(search);
    }
    this.breakGlassRoles = bits(settings.breakGlassRoles());
    for (String rule : RULES) {
      single.put(rule, List.of(rule));
    }
  }

  private static int bits(Set<Role> roles) {
    int b = 0;
    for (Role r : roles) {
      b |= 1 << r.ordinal();
    }
    return b;
  }

  /** The catalogue this policy decides over. */
  public FieldCatalogue catalogue() {
    return catalogue;
  }

  /** The settings of this policy. */
  public PolicySettings settings() {
    return settings;
  }

  /**
   * The plan a view by a holder of {@code roles} shows when it asks for every field: what the
   * console can show before asking. Empty for roles that see no customer data.
   */
  public MaskPlan viewPlan(Set<Role> roles) {
    return viewPlans[bits(roles)];
  }

  /** The fields a holder of {@code roles} may reveal, in catalogue order. */
  public Set<Field> revealable(Set<Role> roles) {
    int b = bits(roles);
    Set<Field> out = new java.util.LinkedHashSet<>();
    for (FieldRule r : ordered) {
      if ((r.revealers & b) != 0) {
        out.add(r.field);
      }
    }
    return java.util.Collections.unmodifiableSet(out);
  }

  /**
   * Decides {@code request}. Never throws: an error while deciding (including a null request) is a
   * {@link DenyReason#POLICY_ERROR} deny.
   */
  public Decision decide(AccessRequest request) {
    try {
      return evaluate(request);
    } catch (Throwable t) {
      // Fail closed. The error is not part of the decision: its message could hold request data.
      return ERROR_DENY;
    }
  }

  private Decision evaluate(AccessRequest q) {
    probe.enter(REQUEST);
    if (q == null) {
      return ERROR_DENY;
    }
    Action action = q.action();
    if (action == Action.REVEAL && q.requestedFields().isEmpty()) {
      return deny(DenyReason.BAD_REQUEST, "a reveal must name the fields to reveal", REQUEST);
    }
    if (action == Action.SEARCH && q.requestedFields().size() != 1) {
      return deny(DenyReason.BAD_REQUEST, "a search must name exactly one field to search by", REQUEST);
    }

    probe.enter(STAFF_ACTIVE);
    StaffSubject staff = q.staff();
    if (!staff.active()) {
      return deny(DenyReason.STAFF_SUSPENDED, "staff member " + staff.id() + " is suspended", STAFF_ACTIVE);
    }

    probe.enter(ROLE_SEES_DATA);
    int roles = bits(staff.roles());
    if (viewPlans[roles].isEmpty()) {
      return deny(DenyReason.ROLE_MAY_NOT_VIEW, "none of the roles of " + staff.id() + " sees customer data",
          ROLE_SEES_DATA);
    }

    if (action == Action.SEARCH) {
      return search(q, roles);
    }

    probe.enter(PURPOSE_FITS);
    Purpose purpose = q.purpose();
    boolean breakGlass = purpose instanceof Purpose.BreakGlass;
    if (purpose instanceof Purpose.None) {
      return deny(DenyReason.NO_PURPOSE, "customer data needs a purpose: an assigned ticket, an approved case or "
          + "break-glass", PURPOSE_FITS);
    }
    if (action == Action.BREAK_GLASS && !breakGlass) {
      return deny(DenyReason.PURPOSE_MISMATCH, "the break-glass action needs the break-glass purpose", PURPOSE_FITS);
    }
    if (action == Action.REVEAL && breakGlass) {
      return deny(DenyReason.PURPOSE_MISMATCH, "break-glass gives a masked view only; a reveal needs a ticket or a case",
          PURPOSE_FITS);
    }

    List<Obligation> obligations;
    List<String> viewRules;
    List<String> revealRules;
    switch (purpose) {
      case Purpose.Ticket t -> {
        probe.enter(TICKET);
        Decision.Deny d = checkTicket(q, t);
        if (d != null) {
          return d;
        }
        obligations = q.facts().ticket().get().createdByStaff() && settings.staffCreatedTicketsOffTicket()
            ? OFF_TICKET : NO_OBLIGATIONS;
        viewRules = R_VIEW_TICKET;
        revealRules = R_REVEAL_TICKET;
      }
      case Purpose.Case c -> {
        probe.enter(CASE);
        Decision.Deny d = checkCase(q, c);
        if (d != null) {
          return d;
        }
        obligations = OFF_TICKET;
        viewRules = R_VIEW_CASE;
        revealRules = R_REVEAL_CASE;
      }
      case Purpose.BreakGlass b -> {
        probe.enter(BREAK_GLASS);
        if ((roles & breakGlassRoles) == 0) {
          return deny(DenyReason.BREAK_GLASS_NOT_ALLOWED, "none of the roles of " + staff.id() + " may break the glass",
              BREAK_GLASS);
        }
        String problem = settings.reasonProblem(q.reason().orElse(null));
        if (problem != null) {
          return deny(DenyReason.REASON_REQUIRED, "break-glass: " + problem, BREAK_GLASS);
        }
        obligations = BREAK_GLASS_OBLIGATIONS;
        viewRules = R_VIEW_BREAK_GLASS;
        revealRules = null; // refused above
      }
      case Purpose.None n -> {
        return deny(DenyReason.NO_PURPOSE, "customer data needs a purpose", PURPOSE_FITS);
      }
    }

    if (action == Action.REVEAL) {
      return reveal(q, roles, obligations, revealRules);
    }
    return view(q, roles, obligations, viewRules);
  }

  private Decision.Deny checkTicket(AccessRequest q, Purpose.Ticket purpose) {
    Optional<Ticket> loaded = q.facts().ticket();
    if (loaded.isEmpty() || !loaded.get().id().equals(purpose.id())) {
      return deny(DenyReason.TICKET_UNKNOWN, "ticket " + purpose.id() + " is not known", TICKET);
    }
    Ticket t = loaded.get();
    if (!t.status().isOpen()) {
      return deny(DenyReason.TICKET_CLOSED, "ticket " + t.id() + " is " + t.status().wireName(), TICKET);
    }
    if (t.assignee().isEmpty() || !t.assignee().get().equals(q.staff().id())) {
      return deny(DenyReason.TICKET_NOT_ASSIGNED, "ticket " + t.id() + " is not assigned to " + q.staff().id(), TICKET);
    }
    if (!t.requester().equals(q.customer())) {
      return deny(DenyReason.TICKET_OTHER_CUSTOMER, "ticket " + t.id() + " was requested by another customer", TICKET);
    }
    return null;
  }

  private Decision.Deny checkCase(AccessRequest q, Purpose.Case purpose) {
    Optional<Case> loaded = q.facts().kase();
    if (loaded.isEmpty() || !loaded.get().id().equals(purpose.id())) {
      return deny(DenyReason.CASE_UNKNOWN, "case " + purpose.id() + " is not known", CASE);
    }
    Case c = loaded.get();
    if (!c.approvedByAnotherLead()) {
      return deny(DenyReason.CASE_NOT_APPROVED, "case " + c.id() + " is not approved by a lead other than its own",
          CASE);
    }
    if (!c.runningAt(q.now())) {
      return deny(DenyReason.CASE_EXPIRED, "case " + c.id() + " has expired or was closed", CASE);
    }
    if (!c.members().contains(q.staff().id())) {
      return deny(DenyReason.CASE_NOT_MEMBER, q.staff().id() + " is not a member of case " + c.id(), CASE);
    }
    if (!c.customers().contains(q.customer())) {
      return deny(DenyReason.CASE_OTHER_CUSTOMER, "case " + c.id() + " does not list this customer", CASE);
    }
    return null;
  }

  private Decision view(AccessRequest q, int roles, List<Obligation> obligations, List<String> rules) {
    probe.enter(FIELDS);
    Set<Field> requested = q.requestedFields();
    if (requested.isEmpty() || q.action() == Action.BREAK_GLASS) {
      return new Decision.Permit(viewPlans[roles], obligations, rules);
    }
    Set<Field> unknown = null;
    Set<Field> hidden = null;
    for (Field f : requested) {
      FieldRule r = fields.get(f);
      if (r == null) {
        unknown = add(unknown, f);
      } else if ((r.viewers & roles) == 0) {
        hidden = add(hidden, f);
      }
    }
    if (unknown != null) {
      return deny(DenyReason.UNKNOWN_FIELD, "the catalogue has no field " + String.join(", ", names(unknown)), FIELDS);
    }
    if (hidden != null) {
      return deny(DenyReason.ROLE_MAY_NOT_VIEW, "no role of " + q.staff().id() + " may view "
          + String.join(", ", names(hidden)), FIELDS);
    }
    LinkedHashMap<Field, Mask> plan = new LinkedHashMap<>();
    for (FieldRule r : ordered) {
      if (requested.contains(r.field)) {
        plan.put(r.field, r.mask); // catalogue masks are never NOT_SHOWN (FieldSpec refuses it)
      }
    }
    return new Decision.Permit(MaskPlan.owning(plan), obligations, rules);
  }

  private Decision reveal(AccessRequest q, int roles, List<Obligation> obligations, List<String> rules) {
    probe.enter(REVEAL);
    Set<Field> unknown = null;
    Set<Field> refused = null;
    for (Field f : q.requestedFields()) {
      FieldRule r = fields.get(f);
      if (r == null) {
        unknown = add(unknown, f);
      } else if ((r.revealers & roles) == 0) {
        refused = add(refused, f);
      }
    }
    if (unknown != null) {
      return deny(DenyReason.UNKNOWN_FIELD, "the catalogue has no field " + String.join(", ", names(unknown)), REVEAL);
    }
    if (refused != null) {
      return deny(DenyReason.ROLE_MAY_NOT_REVEAL, "no role of " + q.staff().id() + " may reveal "
          + String.join(", ", names(refused)), REVEAL);
    }

    probe.enter(REASON);
    String problem = settings.reasonProblem(q.reason().orElse(null));
    if (problem != null) {
      return deny(DenyReason.REASON_REQUIRED, problem, REASON);
    }

    probe.enter(STEP_UP);
    if (q.mfaAt().isEmpty()) {
      return deny(DenyReason.STEP_UP_REQUIRED, "a reveal needs a second factor; none in this session", STEP_UP);
    }
    Instant mfa = q.mfaAt().get();
    if (mfa.isAfter(q.now().plus(settings.maxClockSkew()))) {
      return deny(DenyReason.STEP_UP_REQUIRED, "the second factor's time lies in the future; prove it again", STEP_UP);
    }
    if (mfa.isBefore(q.now().minus(settings.mfaWindow()))) {
      return deny(DenyReason.STEP_UP_REQUIRED, "a reveal needs a second factor within the last "
          + settings.mfaWindow().toMinutes() + " minutes", STEP_UP);
    }

    // Only fields checked above (known, revealable, none NOT_SHOWN) go in, so the plan needs no copy.
    LinkedHashMap<Field, Mask> plan = new LinkedHashMap<>();
    for (FieldRule r : ordered) {
      if (q.requestedFields().contains(r.field)) {
        plan.put(r.field, Mask.NONE);
      }
    }
    return new Decision.Permit(MaskPlan.owning(plan), obligations, rules);
  }

  private Decision search(AccessRequest q, int roles) {
    probe.enter(SEARCH);
    Field by = q.requestedFields().iterator().next();
    if (!settings.searchableFields().contains(by)) {
      return deny(DenyReason.FIELD_NOT_SEARCHABLE, "customers cannot be searched by " + by + "; only by "
          + String.join(", ", names(settings.searchableFields())), SEARCH);
    }
    FieldRule r = fields.get(by);
    if (r == null || (r.viewers & roles) == 0 || searchPlans[roles].isEmpty()) {
      return deny(DenyReason.ROLE_MAY_NOT_VIEW, "no role of " + q.staff().id() + " may search by " + by, SEARCH);
    }
    return new Decision.Permit(searchPlans[roles], NO_OBLIGATIONS, R_SEARCH);
  }

  private static Set<Field> add(Set<Field> set, Field f) {
    Set<Field> s = set == null ? new TreeSet<>() : set;
    s.add(f);
    return s;
  }

  private static List<String> names(Set<Field> fields) {
    List<String> out = new ArrayList<>(fields.size());
    for (Field f : fields) {
      out.add(f.name());
    }
    return out;
  }

  private Decision.Deny deny(DenyReason reason, String explanation, String rule) {
    return new Decision.Deny(reason, explanation, single.get(rule));
  }
}
