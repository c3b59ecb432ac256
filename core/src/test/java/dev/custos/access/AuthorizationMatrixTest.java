package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.GOOD_REASON;
import static dev.custos.access.AccessFixtures.OTHER_AGENT;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.approved;
import static dev.custos.access.AccessFixtures.openCase;
import static dev.custos.access.AccessFixtures.staff;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.vault.Classification;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldSpec;
import dev.custos.vault.Mask;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The authorization matrix: role × purpose × field class × action, every cell asserted against a
 * table written out by hand here (not derived from the policy), and no permit that the table does
 * not expect. The table restates the default catalogue, and one test checks that they agree, so a
 * catalogue change shows up as a deliberate edit of this table.
 */
class AuthorizationMatrixTest {
  /** Short role codes for the table. */
  private static final Map<String, Role> CODES = Map.of("L1", Role.SUPPORT_L1, "L2", Role.SUPPORT_L2,
      "KYC", Role.KYC_REVIEWER, "FRD", Role.FRAUD_ANALYST, "SEC", Role.SECURITY_ANALYST, "APR", Role.APPROVER,
      "ADM", Role.ADMINISTRATOR, "AUD", Role.AUDITOR);

  /** field | class | mask | viewers | revealers ("-" for none). */
  private static final String TABLE = """
      name                 confidential initial          L1,L2,KYC,FRD,SEC,APR  L2,KYC,FRD,SEC
      email                confidential partial-email    L1,L2,KYC,FRD,SEC,APR  L1,L2,KYC,FRD,SEC
      phone                confidential last-4           L1,L2,KYC,FRD,SEC,APR  L2,KYC,FRD,SEC
      date_of_birth        confidential year-only        L1,L2,KYC,FRD,SEC,APR  KYC,FRD
      address              confidential city-and-country L1,L2,KYC,FRD,SEC,APR  L2,KYC,FRD
      nationality          confidential none             L1,L2,KYC,FRD,SEC,APR  -
      government_id        restricted   last-4           L2,KYC,FRD,SEC         KYC
      id_documents         restricted   redacted         KYC,FRD,SEC            KYC
      tax_id               restricted   last-4           KYC,FRD                KYC
      bank_account         restricted   last-4           L2,KYC,FRD             FRD
      balances             secret       range-bucket     L1,L2,FRD,SEC,APR      FRD
      account_tier         internal     none             L1,L2,KYC,FRD,SEC,APR  -
      account_status       public       none             L1,L2,KYC,FRD,SEC,APR  -
      two_factor_method    internal     none             L1,L2,KYC,FRD,SEC,APR  -
      withdrawal_addresses secret       last-4           L2,FRD,SEC,APR         FRD
      recent_logins        secret       redacted         L2,FRD,SEC             FRD,SEC
      recent_transactions  secret       redacted         L2,FRD                 FRD
      kyc_status           internal     none             L1,L2,KYC,FRD,SEC,APR  -
      support_notes        internal     none             L1,L2,KYC,FRD,SEC      -
      """;

  private record Row(Field field, Classification cls, Mask mask, Set<Role> viewers, Set<Role> revealers) {}

  private static final List<Row> ROWS = parse();
  /** Roles that may break the glass by default: support-l2, fraud-analyst, security-analyst. */
  private static final Set<Role> BREAK_GLASS = EnumSet.of(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);

  private static List<Row> parse() {
    List<Row> rows = new ArrayList<>();
    for (String line : TABLE.strip().split("\n")) {
      String[] c = line.strip().split("\\s+");
      rows.add(new Row(new Field(c[0]), Classification.parse(c[1]), Mask.parse(c[2]), roles(c[3]), roles(c[4])));
    }
    return rows;
  }

  private static Set<Role> roles(String codes) {
    Set<Role> s = EnumSet.noneOf(Role.class);
    if (!codes.equals("-")) {
      for (String c : codes.split(",")) {
        s.add(CODES.get(c));
      }
    }
    return s;
  }

  enum Purp { OWN_OPEN_TICKET, OTHER_AGENTS_TICKET, CLOSED_TICKET, NO_TICKET, CASE, BREAK_GLASS }

  private final AccessPolicy policy = new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults());
  private final TicketId ticketId = new TicketId("zd-7");
  private final Case kase = approved(openCase(new CaseId("case-7"), Set.of(CUSTOMER), AGENT));

  private Purpose purpose(Purp p) {
    return switch (p) {
      case OWN_OPEN_TICKET, OTHER_AGENTS_TICKET, CLOSED_TICKET -> Purpose.ticket(ticketId);
      case NO_TICKET -> Purpose.NONE;
      case CASE -> Purpose.ofCase(kase.id());
      case BREAK_GLASS -> Purpose.BREAK_GLASS;
    };
  }

  private PurposeFacts facts(Purp p) {
    return switch (p) {
      case OWN_OPEN_TICKET -> PurposeFacts.of(AccessFixtures.openTicket(ticketId, CUSTOMER, AGENT));
      case OTHER_AGENTS_TICKET -> PurposeFacts.of(AccessFixtures.openTicket(ticketId, CUSTOMER, OTHER_AGENT));
      case CLOSED_TICKET -> PurposeFacts.of(AccessFixtures.ticket(ticketId, CUSTOMER, Optional.of(AGENT),
          TicketStatus.CLOSED));
      case NO_TICKET, BREAK_GLASS -> PurposeFacts.none();
      case CASE -> PurposeFacts.of(kase);
    };
  }

  /** The deny the purpose itself earns for {@code action}, or null when it grants access. */
  private static DenyReason purposeDeny(Role role, Purp p, Action action) {
    if (action == Action.BREAK_GLASS && p != Purp.BREAK_GLASS) {
      return p == Purp.NO_TICKET ? DenyReason.NO_PURPOSE : DenyReason.PURPOSE_MISMATCH;
    }
    return switch (p) {
      case OWN_OPEN_TICKET, CASE -> null;
      case OTHER_AGENTS_TICKET -> DenyReason.TICKET_NOT_ASSIGNED;
      case CLOSED_TICKET -> DenyReason.TICKET_CLOSED;
      case NO_TICKET -> DenyReason.NO_PURPOSE;
      case BREAK_GLASS -> action == Action.REVEAL ? DenyReason.PURPOSE_MISMATCH
          : BREAK_GLASS.contains(role) ? null : DenyReason.BREAK_GLASS_NOT_ALLOWED;
    };
  }

  private static boolean seesAnyData(Role role) {
    return ROWS.stream().anyMatch(r -> r.viewers.contains(role));
  }

  @Test
  void table_agreesWithTheDefaultCatalogue() {
    FieldCatalogue c = FieldCatalogue.exchangeDefault();
    assertThat(c.fields()).containsExactlyElementsOf(ROWS.stream().map(Row::field).toList());
    for (Row r : ROWS) {
      FieldSpec s = c.spec(r.field).orElseThrow();
      assertThat(new Row(s.field(), s.classification(), s.defaultMask(), s.viewers(), s.revealers())).isEqualTo(r);
    }
  }

  @Test
  void everyCell_decidesAsTheTableSays_andNoPermitIsUnexpected() {
    List<String> failures = new ArrayList<>();
    int cells = 0;
    int permits = 0;
    int unexpectedPermits = 0;
    for (Role role : Role.values()) {
      StaffSubject s = staff(AGENT, role);
      for (Purp p : Purp.values()) {
        for (Classification cls : Classification.values()) {
          List<Row> ofClass = ROWS.stream().filter(r -> r.cls == cls).toList();

          // VIEW and BREAK_GLASS of every field: the plan's fields of this class are exactly those the table shows.
          for (Action action : List.of(Action.VIEW, Action.BREAK_GLASS)) {
            cells++;
            AccessRequest q = new AccessRequest(s, action, CUSTOMER, purpose(p), Set.of(),
                Optional.of(GOOD_REASON), Optional.of(T), T, facts(p));
            DenyReason expectedDeny = !seesAnyData(role) ? DenyReason.ROLE_MAY_NOT_VIEW : purposeDeny(role, p, action);
            Decision d = policy.decide(q);
            String cell = role.wireName() + " × " + p + " × " + cls.wireName() + " × " + action.wireName();
            if (expectedDeny != null) {
              if (!(d instanceof Decision.Deny deny) || deny.reason() != expectedDeny) {
                failures.add(cell + ": expected deny " + expectedDeny.wireName() + ", got " + d);
                if (d instanceof Decision.Permit) {
                  unexpectedPermits++;
                }
              }
              continue;
            }
            Map<Field, Mask> expected = new LinkedHashMap<>();
            for (Row r : ofClass) {
              if (r.viewers.contains(role)) {
                expected.put(r.field, r.mask);
              }
            }
            if (!(d instanceof Decision.Permit permit)) {
              failures.add(cell + ": expected permit, got " + d);
              continue;
            }
            permits++;
            Map<Field, Mask> shown = new LinkedHashMap<>();
            for (Row r : ofClass) {
              if (permit.plan().shows(r.field)) {
                shown.put(r.field, permit.plan().mask(r.field));
              }
            }
            if (!shown.equals(expected)) {
              failures.add(cell + ": expected " + expected + ", shown " + shown);
              if (!expected.keySet().containsAll(shown.keySet())) {
                unexpectedPermits++;
              }
            }
          }

          // REVEAL of each field of the class alone.
          for (Row r : ofClass) {
            cells++;
            AccessRequest q = new AccessRequest(s, Action.REVEAL, CUSTOMER, purpose(p), Set.of(r.field),
                Optional.of(GOOD_REASON), Optional.of(T), T, facts(p));
            DenyReason expectedDeny = !seesAnyData(role) ? DenyReason.ROLE_MAY_NOT_VIEW
                : purposeDeny(role, p, Action.REVEAL) != null ? purposeDeny(role, p, Action.REVEAL)
                : r.revealers.contains(role) ? null : DenyReason.ROLE_MAY_NOT_REVEAL;
            Decision d = policy.decide(q);
            String cell = role.wireName() + " × " + p + " × " + cls.wireName() + " × reveal " + r.field;
            if (expectedDeny == null) {
              if (d instanceof Decision.Permit permit && permit.plan().asMap().equals(Map.of(r.field, Mask.NONE))) {
                permits++;
              } else {
                failures.add(cell + ": expected permit unmasking it alone, got " + d);
              }
            } else if (!(d instanceof Decision.Deny deny) || deny.reason() != expectedDeny) {
              failures.add(cell + ": expected deny " + expectedDeny.wireName() + ", got " + d);
              if (d instanceof Decision.Permit) {
                unexpectedPermits++;
              }
            }
          }
        }
      }
    }

    assertThat(failures).isEmpty();
    assertThat(unexpectedPermits).isZero();
    // 8 roles × 6 purposes × (5 classes × 2 view actions + 19 fields revealed one by one).
    assertThat(cells).isEqualTo(8 * 6 * (5 * 2 + ROWS.size()));
    assertThat(permits).as("the matrix exercises permits too").isGreaterThan(100);
  }

  @Test
  void revealOfEveryFieldAtOnce_isPermittedOnlyForRolesThatRevealThemAll() {
    Set<Field> all = new LinkedHashSet<>();
    ROWS.forEach(r -> all.add(r.field));
    for (Role role : Role.values()) {
      AccessRequest q = new AccessRequest(staff(AGENT, role), Action.REVEAL, CUSTOMER, purpose(Purp.OWN_OPEN_TICKET),
          all, Optional.of(GOOD_REASON), Optional.of(T), T, facts(Purp.OWN_OPEN_TICKET));
      assertThat(policy.decide(q)).as(role.wireName()).isInstanceOf(Decision.Deny.class);
    }
  }
}
