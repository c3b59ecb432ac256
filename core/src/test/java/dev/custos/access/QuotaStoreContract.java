package dev.custos.access;

import static dev.custos.access.AccessFixtures.T;
import static dev.custos.access.AccessFixtures.freshStaff;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} must have; extend it with the implementation under test
 * (the fake here, PostgreSQL in {@code store}). Tests use fresh staff ids, so a shared database
 * needs no cleanup.
 */
public abstract class QuotaStoreContract {
  private static final Duration HOUR = Duration.ofHours(1);

  /** A store; every call during one test MUST return an instance over the same state. */
  protected abstract QuotaStore instance();

  private QuotaStore.Result use(StaffId s, QuotaUse u, Instant at) {
    return instance().checkAndRecord(s, List.of(u), at);
  }

  @Test
  public void countingQuota_admitsUpToTheLimit_thenRefusesNamingIt() {
    StaffId s = freshStaff();
    QuotaUse u = QuotaUse.counting("reveals-per-hour", 3, HOUR);
    for (int i = 0; i < 3; i++) {
      assertThat(use(s, u, T.plusSeconds(i))).isInstanceOf(QuotaStore.Admitted.class);
    }
    QuotaStore.Result r = use(s, u, T.plusSeconds(10));

    assertThat(r).isInstanceOf(QuotaStore.Refused.class);
    QuotaStore.Refused refused = (QuotaStore.Refused) r;
    assertThat(refused.use()).isEqualTo(u);
    assertThat(refused.used()).isEqualTo(3);
    assertThat(refused.oldest()).contains(T);
  }

  @Test
  public void zeroLimit_refusesTheFirstUse() {
    QuotaStore.Result r = use(freshStaff(), QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 0, HOUR), T);
    assertThat(r).isEqualTo(new QuotaStore.Refused(QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 0, HOUR), 0,
        Optional.empty()));
  }

  @Test
  public void aUseLeavesTheWindow_onceTheWindowHasPassed() {
    StaffId s = freshStaff();
    QuotaUse u = QuotaUse.counting("searches-per-hour", 1, HOUR);
    use(s, u, T);
    assertThat(use(s, u, T.plus(HOUR).minusSeconds(1))).isInstanceOf(QuotaStore.Refused.class);

    assertThat(use(s, u, T.plus(HOUR))).isInstanceOf(QuotaStore.Admitted.class);
  }

  @Test
  public void distinctQuota_countsACustomerOncePerWindow() {
    StaffId s = freshStaff();
    for (int i = 0; i < 5; i++) {
      assertThat(use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 2, HOUR), T.plusSeconds(i)))
          .isInstanceOf(QuotaStore.Admitted.class);
    }
    assertThat(use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-2", 2, HOUR), T.plusSeconds(9)))
        .isInstanceOf(QuotaStore.Admitted.class);
    QuotaStore.Result third = use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-3", 2, HOUR), T.plusSeconds(10));

    assertThat(third).isInstanceOf(QuotaStore.Refused.class);
    assertThat(((QuotaStore.Refused) third).used()).isEqualTo(2);
    assertThat(use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 2, HOUR), T.plusSeconds(11)))
        .isInstanceOf(QuotaStore.Admitted.class);
  }

  @Test
  public void distinctQuota_aCustomerSeenAgainStaysInTheWindowFromTheLatestSight() {
    StaffId s = freshStaff();
    use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 1, HOUR), T);
    use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 1, HOUR), T.plus(Duration.ofMinutes(50)));

    assertThat(use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-2", 1, HOUR), T.plus(Duration.ofMinutes(70))))
        .as("c-1, seen 20 minutes ago, still fills the quota").isInstanceOf(QuotaStore.Refused.class);
    assertThat(use(s, QuotaUse.distinct("off-ticket-customers-per-hour", "c-2", 1, HOUR), T.plus(Duration.ofMinutes(111))))
        .isInstanceOf(QuotaStore.Admitted.class);
  }

  @Test
  public void refusal_recordsNothing_allOrNothing() {
    StaffId s = freshStaff();
    QuotaUse reveals = QuotaUse.counting("reveals-per-hour", 1, HOUR);
    QuotaUse offTicket = QuotaUse.distinct("off-ticket-customers-per-hour", "c-1", 0, HOUR);

    assertThat(instance().checkAndRecord(s, List.of(reveals, offTicket), T)).isInstanceOf(QuotaStore.Refused.class);
    assertThat(((QuotaStore.Refused) instance().checkAndRecord(s, List.of(reveals, offTicket), T)).use())
        .isEqualTo(offTicket);

    assertThat(use(s, reveals, T.plusSeconds(1))).as("the refused call used no reveal").isInstanceOf(QuotaStore.Admitted.class);
  }

  @Test
  public void unlimitedUses_areCounted_forLimitedOnesOfTheSameQuota() {
    StaffId s = freshStaff();
    for (int i = 0; i < 3; i++) {
      assertThat(use(s, QuotaUse.distinct("off-ticket-customers-per-day", "case-c-" + i, QuotaUse.UNLIMITED,
          Duration.ofDays(1)), T)).isInstanceOf(QuotaStore.Admitted.class);
    }
    QuotaStore.Result r = use(s, QuotaUse.distinct("off-ticket-customers-per-day", "c-x", 3, Duration.ofDays(1)), T);
    assertThat(r).isInstanceOf(QuotaStore.Refused.class);
    assertThat(((QuotaStore.Refused) r).used()).isEqualTo(3);
  }

  @Test
  public void staffMembersAndQuotas_areIndependent() {
    StaffId a = freshStaff();
    StaffId b = freshStaff();
    use(a, QuotaUse.counting("reveals-per-hour", 1, HOUR), T);

    assertThat(use(b, QuotaUse.counting("reveals-per-hour", 1, HOUR), T)).isInstanceOf(QuotaStore.Admitted.class);
    assertThat(use(a, QuotaUse.counting("searches-per-hour", 1, HOUR), T)).isInstanceOf(QuotaStore.Admitted.class);
  }

  @Test
  public void oneInstancesUse_isSeenByAnother() {
    StaffId s = freshStaff();
    QuotaUse u = QuotaUse.counting("reveals-per-hour", 1, HOUR);
    instance().checkAndRecord(s, List.of(u), T);
    assertThat(instance().checkAndRecord(s, List.of(u), T.plusSeconds(1))).isInstanceOf(QuotaStore.Refused.class);
  }

  @Test
  public void manyInstancesRacing_neverAdmitMoreThanTheLimit() throws Exception {
    StaffId s = freshStaff();
    QuotaUse u = QuotaUse.counting("reveals-per-hour", 10, HOUR);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      QuotaStore store = instance();
      Instant at = T.plusMillis(i);
      tasks.add(() -> store.checkAndRecord(s, List.of(u), at) instanceof QuotaStore.Admitted);
    }
    assertThat(Races.race(tasks)).filteredOn(Boolean::booleanValue).hasSize(10);
  }

  @Test
  public void threadsRacingOverDistinctCustomers_neverAdmitMoreThanTheLimit() throws Exception {
    int threads = 8;
    int customersEach = 6;
    int limit = 5;
    for (int round = 0; round < 3; round++) {
      StaffId s = freshStaff();
      List<Callable<List<String>>> tasks = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        QuotaStore store = instance();
        int thread = t;
        tasks.add(() -> {
          List<String> admitted = new ArrayList<>();
          for (int c = 0; c < customersEach; c++) {
            String customer = "c-" + thread + "-" + c;
            QuotaUse hour = QuotaUse.distinct("off-ticket-customers-per-hour", customer, limit, HOUR);
            QuotaUse day = QuotaUse.distinct("off-ticket-customers-per-day", customer, 100, Duration.ofDays(1));
            if (store.checkAndRecord(s, List.of(hour, day), T.plusMillis(c)) instanceof QuotaStore.Admitted) {
              admitted.add(customer);
            }
          }
          return admitted;
        });
      }
      List<String> admitted = Races.race(tasks).stream().flatMap(List::stream).toList();

      assertThat(admitted).as("round %d", round).hasSize(limit).doesNotHaveDuplicates();
      // The per-day counter saw exactly the admitted customers: nothing of a refused call was recorded.
      QuotaStore.Result r = instance().checkAndRecord(s,
          List.of(QuotaUse.distinct("off-ticket-customers-per-day", "probe", limit, Duration.ofDays(1))), T.plusSeconds(1));
      assertThat(r).isInstanceOf(QuotaStore.Refused.class);
      assertThat(((QuotaStore.Refused) r).used()).isEqualTo(limit);
    }
  }
}
