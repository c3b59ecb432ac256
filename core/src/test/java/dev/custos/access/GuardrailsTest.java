package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.GOOD_REASON;
import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.approved;
import static dev.custos.access.AccessFixtures.openCase;
import static dev.custos.access.AccessFixtures.staff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Guardrails.Basis;
import dev.custos.vault.FieldCatalogue;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardrailsTest {
  private final InMemoryQuotaStore store = new InMemoryQuotaStore();
  private final Guardrails guardrails = new Guardrails(store, QuotaSettings.defaults());

  private static CustomerId customer(int i) {
    return new CustomerId("c-" + i);
  }

  @Test
  void viewsOnAssignedTickets_areNeverLimited() {
    for (int i = 0; i < 500; i++) {
      assertThat(guardrails.checkAndRecord(AGENT, Action.VIEW, customer(i), true, T)).isEqualTo(QuotaCheck.ALLOWED);
    }
  }

  @Test
  void offTicketView_isRefusedByDefault_namingTheQuota() {
    QuotaCheck c = guardrails.checkAndRecord(AGENT, Action.VIEW, CUSTOMER, false, T);
    assertThat(c).isEqualTo(new QuotaCheck.Exceeded("off-ticket-customers-per-hour", 0, Duration.ofHours(1),
        Optional.empty()));
    Decision.Deny d = ((QuotaCheck.Exceeded) c).toDeny();
    assertThat(d.reason()).isEqualTo(DenyReason.QUOTA_EXCEEDED);
    assertThat(d.explanation()).contains("off-ticket-customers-per-hour");
    assertThat(d.rules()).containsExactly("quota:off-ticket-customers-per-hour");
  }

  @Test
  void offTicketQuota_countsDistinctCustomers_perHourAndPerDay() {
    Guardrails g = new Guardrails(store, new QuotaSettings(2, 3, 20, 30, 3));
    assertThat(g.checkAndRecord(AGENT, Action.VIEW, customer(1), false, T)).isEqualTo(QuotaCheck.ALLOWED);
    assertThat(g.checkAndRecord(AGENT, Action.VIEW, customer(1), false, T.plusSeconds(1))).isEqualTo(QuotaCheck.ALLOWED);
    assertThat(g.checkAndRecord(AGENT, Action.VIEW, customer(2), false, T.plusSeconds(2))).isEqualTo(QuotaCheck.ALLOWED);
    QuotaCheck third = g.checkAndRecord(AGENT, Action.VIEW, customer(3), false, T.plusSeconds(3));
    assertThat(third).isInstanceOf(QuotaCheck.Exceeded.class);
    assertThat(((QuotaCheck.Exceeded) third).quota()).isEqualTo("off-ticket-customers-per-hour");
    assertThat(((QuotaCheck.Exceeded) third).retryAfter()).as("c-1 was last seen at T+1s")
        .contains(Duration.ofHours(1).minusSeconds(2));

    assertThat(g.checkAndRecord(AGENT, Action.VIEW, customer(3), false, T.plus(Duration.ofHours(2))))
        .isEqualTo(QuotaCheck.ALLOWED);
    QuotaCheck fourth = g.checkAndRecord(AGENT, Action.VIEW, customer(4), false, T.plus(Duration.ofHours(3)));
    assertThat(((QuotaCheck.Exceeded) fourth).quota()).isEqualTo("off-ticket-customers-per-day");
  }

  @Test
  void reveals_areLimitedPerHour_evenOnAssignedTickets() {
    for (int i = 0; i < 20; i++) {
      assertThat(guardrails.checkAndRecord(AGENT, Action.REVEAL, CUSTOMER, true, T.plusSeconds(i)))
          .isEqualTo(QuotaCheck.ALLOWED);
    }
    QuotaCheck c = guardrails.checkAndRecord(AGENT, Action.REVEAL, CUSTOMER, true, T.plusSeconds(60));
    assertThat(((QuotaCheck.Exceeded) c).quota()).isEqualTo("reveals-per-hour");
    assertThat(((QuotaCheck.Exceeded) c).retryAfter()).contains(Duration.ofHours(1).minusSeconds(60));
  }

  @Test
  void exceededDeny_carriesRetryAfter_roundedUpToWholeSeconds() {
    QuotaCheck.Exceeded ex = new QuotaCheck.Exceeded("reveals-per-hour", 20, Duration.ofHours(1),
        Optional.of(Duration.ofMillis(59_001)));
    assertThat(ex.toDeny().retryAfter()).contains(Duration.ofSeconds(60));
    QuotaCheck.Exceeded now = new QuotaCheck.Exceeded("reveals-per-hour", 20, Duration.ofHours(1),
        Optional.of(Duration.ZERO));
    assertThat(now.toDeny().retryAfter()).as("never 0: a client would retry at once").contains(Duration.ofSeconds(1));
  }

  @Test
  void exceededDeny_ofALimitOfZero_retriesAfterTheWholeWindow() {
    QuotaCheck.Exceeded ex = new QuotaCheck.Exceeded("off-ticket-customers-per-hour", 0, Duration.ofHours(1),
        Optional.empty());
    assertThat(ex.toDeny().retryAfter()).contains(Duration.ofHours(1));
  }

  @Test
  void searches_areLimitedPerHour() {
    for (int i = 0; i < 30; i++) {
      assertThat(guardrails.checkAndRecord(AGENT, Action.SEARCH, null, true, T)).isEqualTo(QuotaCheck.ALLOWED);
    }
    assertThat(((QuotaCheck.Exceeded) guardrails.checkAndRecord(AGENT, Action.SEARCH, null, true, T)).quota())
        .isEqualTo("searches-per-hour");
  }

  @Test
  void caseViews_areCountedButNotLimitedByTheOffTicketQuota() {
    for (int i = 0; i < 50; i++) {
      assertThat(guardrails.checkAndRecord(AGENT, Action.VIEW, customer(i), Basis.CASE, T)).isEqualTo(QuotaCheck.ALLOWED);
    }
    Guardrails loose = new Guardrails(store, new QuotaSettings(60, 60, 20, 30, 3));
    QuotaCheck c = loose.checkAndRecord(AGENT, Action.VIEW, customer(1000), Basis.OFF_TICKET, T);
    assertThat(c).as("50 case customers + this one stay within 60").isEqualTo(QuotaCheck.ALLOWED);
    Guardrails tight = new Guardrails(store, new QuotaSettings(10, 10, 20, 30, 3));
    assertThat(tight.checkAndRecord(AGENT, Action.VIEW, customer(1001), Basis.OFF_TICKET, T))
        .as("the case customers count").isInstanceOf(QuotaCheck.Exceeded.class);
  }

  @Test
  void breakGlass_isLimitedToThreeCustomersADay() {
    for (int i = 0; i < 3; i++) {
      assertThat(guardrails.checkAndRecord(AGENT, Action.BREAK_GLASS, customer(i), Basis.BREAK_GLASS, T))
          .isEqualTo(QuotaCheck.ALLOWED);
    }
    assertThat(guardrails.checkAndRecord(AGENT, Action.BREAK_GLASS, customer(0), Basis.BREAK_GLASS, T.plusSeconds(5)))
        .as("the same customer again").isEqualTo(QuotaCheck.ALLOWED);
    assertThat(((QuotaCheck.Exceeded) guardrails.checkAndRecord(AGENT, Action.BREAK_GLASS, customer(3),
        Basis.BREAK_GLASS, T)).quota()).isEqualTo("break-glass-customers-per-day");
  }

  @Test
  void permitOfTheCasePolicy_isCheckedOnTheCaseBasis() {
    AccessPolicy policy = new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults());
    Case c = approved(openCase(new CaseId("case-1"), Set.of(CUSTOMER), AGENT));
    AccessRequest q = AccessRequest.view(staff(AGENT, Role.FRAUD_ANALYST), CUSTOMER, Purpose.ofCase(c.id()),
        PurposeFacts.of(c), T);
    Decision.Permit p = (Decision.Permit) policy.decide(q);
    assertThat(guardrails.checkAndRecord(q, p)).isEqualTo(QuotaCheck.ALLOWED);

    AccessRequest bg = new AccessRequest(staff(AGENT, Role.SUPPORT_L2), Action.BREAK_GLASS, CUSTOMER,
        Purpose.BREAK_GLASS, Set.of(), Optional.of(GOOD_REASON), Optional.empty(), T, PurposeFacts.none());
    assertThat(guardrails.checkAndRecord(bg, (Decision.Permit) policy.decide(bg))).isEqualTo(QuotaCheck.ALLOWED);
  }

  @Test
  void storeFailure_propagates_soTheCallerDenies() {
    store.failing = true;
    assertThatThrownBy(() -> guardrails.checkAndRecord(AGENT, Action.REVEAL, CUSTOMER, true, T))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void settings_refuseBadLimitsNamingThem() {
    assertThatThrownBy(() -> new QuotaSettings(-1, 0, 20, 30, 3)).hasMessageContaining("offTicketCustomersPerHour");
    assertThatThrownBy(() -> new QuotaSettings(5, 2, 20, 30, 3)).hasMessageContaining("offTicketCustomersPerDay");
    assertThatThrownBy(() -> new QuotaSettings(0, 0, 200_000, 30, 3)).hasMessageContaining("revealsPerHour");
  }
}
