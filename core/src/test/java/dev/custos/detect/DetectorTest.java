package dev.custos.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.detect.Observation.Basis;
import dev.custos.detect.Observation.TicketFact;
import dev.custos.detect.Observation.Touch;
import dev.custos.vault.Classification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetectorTest {
  private static final Instant T0 = Instant.parse("2025-03-03T08:00:00Z");
  private static final StaffId ANA = new StaffId("ana");
  private static final StaffId BEN = new StaffId("ben");

  private final List<Assessment> escalations = new ArrayList<>();
  private final Detector detector = new Detector(DetectionPolicy.defaults(), escalations::add);

  /** A normal week-day of ticket work: each ticket's requester, sometimes a linked account. */
  private Instant workDays(StaffId staff, int days, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Instant t = T0;
    for (int d = 0; d < days; d++) {
      Instant day = T0.plus(Duration.ofDays(d));
      for (int i = 0; i < 35; i++) {
        t = day.plusSeconds(i * 800L + r.nextInt(300));
        CustomerId c = new CustomerId("c" + r.nextInt(1_000_000));
        detector.observe(new TicketFact(t, staff, TicketFact.Kind.ASSIGNED, c, t.minusSeconds(3600), true));
        detector.observe(Touch.view(t.plusSeconds(5), staff, c, Basis.OWN_TICKET, r.nextInt(20) == 0, true));
        if (r.nextInt(8) == 0) {
          detector.observe(Touch.view(t.plusSeconds(40), staff, new CustomerId("c" + r.nextInt(1_000_000)), Basis.LINKED,
              false, true));
        }
        if (r.nextInt(10) == 0) {
          detector.observe(new Touch(t.plusSeconds(60), staff, c, true, Classification.CONFIDENTIAL, Basis.OWN_TICKET, false,
              false, true));
        }
        detector.observe(new TicketFact(t.plusSeconds(600), staff, TicketFact.Kind.CLOSED, c, t.minusSeconds(3600), true));
      }
    }
    return t;
  }

  @Test
  void ordinaryTicketWork_raisesNothing() {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    workDays(ANA, 20, 1);
    assertThat(escalations).isEmpty();
    assertThat(detector.measure(ANA)).isEqualTo(Measure.NONE);
  }

  @Test
  void touchingADecoy_suspendsAtOnce() {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    Instant t = workDays(ANA, 2, 2);
    Measure m = detector.observe(new Touch(t.plusSeconds(10), ANA, new CustomerId("decoy-1"), false, Classification.PUBLIC,
        Basis.NONE, false, true, true));
    assertThat(m).isEqualTo(Measure.SUSPEND);
    assertThat(escalations).singleElement().satisfies(a -> {
      assertThat(a.measure()).isEqualTo(Measure.SUSPEND);
      assertThat(a.readings().getFirst().signal()).isEqualTo(Signal.DECOY);
    });
  }

  @Test
  void bulkViewingCustomersOnNoTicket_isSuspendedWithinTenCustomers() {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    Instant t = workDays(ANA, 10, 3);
    int seen = 0;
    Measure m = Measure.NONE;
    while (m != Measure.SUSPEND && seen < 100) {
      seen++;
      m = detector.observe(Touch.view(t.plusSeconds(60 + seen * 8L), ANA, new CustomerId("x" + seen), Basis.NONE, false, true));
    }
    assertThat(seen).isLessThanOrEqualTo(10);
    assertThat(detector.assess(ANA).readings()).filteredOn(r -> r.surprise() > 2).extracting(Reading::signal)
        .contains(Signal.NO_TICKET);
  }

  @Test
  void aSuspension_isHeldUntilRestored() {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.observe(new Touch(T0, ANA, new CustomerId("decoy-1"), false, Classification.PUBLIC, Basis.NONE, false, true, true));
    Measure later = detector.observe(Touch.view(T0.plus(Duration.ofDays(3)), ANA, new CustomerId("c1"), Basis.OWN_TICKET, false, true));
    assertThat(later).isEqualTo(Measure.SUSPEND);
    detector.restore(ANA);
    assertThat(detector.observe(Touch.view(T0.plus(Duration.ofDays(3)), ANA, new CustomerId("c2"), Basis.OWN_TICKET, false, true)))
        .isEqualTo(Measure.NONE);
  }

  @Test
  void twoPeopleTouchingTheSameUnexplainedCustomers_isReadAsCollusion() {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    workDays(ANA, 5, 4);
    Instant t = workDays(BEN, 5, 5);
    for (int i = 0; i < 6; i++) {
      detector.observe(Touch.view(t.plus(Duration.ofHours(i)), ANA, new CustomerId("target" + i), Basis.NONE, false, true));
      detector.observe(Touch.view(t.plus(Duration.ofHours(i)).plusSeconds(600), BEN, new CustomerId("target" + i), Basis.NONE,
          false, true));
    }
    assertThat(detector.assess(BEN).readings()).filteredOn(r -> r.surprise() > 2).extracting(Reading::signal)
        .contains(Signal.COLLUSION);
  }

  @Test
  void theSameObservations_giveTheSameMeasures() {
    List<String> first = run(11);
    List<String> second = run(11);
    assertThat(first).isEqualTo(second).isNotEmpty();
  }

  private List<String> run(long seed) {
    List<String> out = new ArrayList<>();
    Detector d = new Detector(DetectionPolicy.defaults(), a -> out.add(a.explain()));
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < 5000; i++) {
      StaffId s = new StaffId("s" + r.nextInt(5));
      Basis b = r.nextInt(10) == 0 ? Basis.NONE : Basis.OWN_TICKET;
      out.add(d.observe(Touch.view(T0.plusSeconds(i * 5L), s, new CustomerId("c" + r.nextInt(300)), b, r.nextBoolean(), true))
          .wireName());
    }
    return out;
  }

  @Test
  void aNewcomer_isJudgedAgainstTheirPeersUntilTheyHaveAHistory() {
    Detector withPeers = new Detector(DetectionPolicy.defaults(), a -> {});
    Detector alone = new Detector(DetectionPolicy.defaults(), a -> {});
    withPeers.enrol(new StaffProfile(ANA, "kyc", Role.KYC_REVIEWER, "day"));
    withPeers.enrol(new StaffProfile(BEN, "kyc", Role.KYC_REVIEWER, "day"));
    alone.enrol(new StaffProfile(BEN, "kyc", Role.KYC_REVIEWER, "day"));
    // Ana's team reviews a customer a minute, all day, every day.
    for (int d = 0; d < 10; d++) {
      for (int i = 0; i < 480; i++) {
        withPeers.observe(Touch.view(T0.plus(Duration.ofDays(d)).plusSeconds(60L * i), ANA, new CustomerId("a" + d + "-" + i),
            Basis.OWN_TICKET, false, true));
      }
    }
    Instant start = T0.plus(Duration.ofDays(10));
    for (int i = 0; i < 30; i++) {
      Touch t = Touch.view(start.plusSeconds(60L * i), BEN, new CustomerId("b" + i), Basis.OWN_TICKET, false, true);
      withPeers.observe(t);
      alone.observe(t);
    }
    assertThat(withPeers.assess(BEN).risk()).isZero();
    assertThat(volume(withPeers).ownBaseline()).isGreaterThan(10); // Ana's pace: 15 customers in 15 minutes
    assertThat(volume(alone).ownBaseline()).isLessThan(10);
  }

  private static Reading volume(Detector d) {
    return d.assess(BEN).readings().stream().filter(r -> r.signal() == Signal.VOLUME).findFirst().orElseThrow();
  }

  @Test
  void policy_refusesThresholdsOutOfOrder() {
    assertThatThrownBy(() -> DetectionPolicy.builder().thresholds(10, 8, 12, 14))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> DetectionPolicy.builder().shortWindow(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shortWindow");
  }
}
