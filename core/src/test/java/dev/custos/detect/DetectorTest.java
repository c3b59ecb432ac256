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

  /** How many searches, one every 25 seconds after ten days of ticket work, until suspension; each {@code misses} in 10 finds nobody. */
  private int searchesUntilSuspended(Detector d, int missesInTen) {
    d.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(5);
    for (int day = 0; day < 10; day++) {
      day(d, ANA, day, 1, 0, 0, true, r);
    }
    Instant t = T0.plus(Duration.ofDays(10)).plus(Duration.ofHours(3));
    int searches = 0;
    while (d.measure(ANA) != Measure.SUSPEND && searches < 100) {
      d.observe(new Observation.Search(t.plusSeconds(25L * searches), ANA, searches % 10 < missesInTen ? 0 : 1, true));
      searches++;
    }
    return searches;
  }

  @Test
  void searchesThatMostlyFindNobody_areSuspendedSoonerThanAsManyThatFindSomeone() {
    int guessing = searchesUntilSuspended(detector, 6);
    int finding = searchesUntilSuspended(new Detector(DetectionPolicy.defaults(), a -> { }), 0);
    assertThat(guessing).isLessThan(finding);
    assertThat(guessing).isLessThanOrEqualTo(12);
    assertThat(detector.assess(ANA).readings()).filteredOn(r -> r.surprise() >= 2).extracting(Reading::signal)
        .contains(Signal.SEARCH_MISSES, Signal.SEARCH);
  }

  @Test
  void anOccasionalSearchThatFindsNobody_raisesNothing() {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(6);
    for (int day = 0; day < 12; day++) {
      day(detector, ANA, day, 1, 0, 0, true, r);
      Instant t = T0.plus(Duration.ofDays(day)).plus(Duration.ofHours(2));
      for (int i = 0; i < 5; i++) { // a look-up by e-mail every hour or so, one a day mistyped first, then its customer
        Instant u = t.plus(Duration.ofMinutes(70L * i));
        if (i == 0) {
          detector.observe(new Observation.Search(u.minusSeconds(20), ANA, 0, true));
        }
        detector.observe(new Observation.Search(u, ANA, 1, true));
        detector.observe(Touch.view(u.plusSeconds(10), ANA, new CustomerId("l" + day + "-" + i), Basis.OWN_TICKET, false, true));
      }
    }
    assertThat(escalations).isEmpty();
  }

  /**
   * Ana after ten days of ticket work: {@code searches} searches 25 seconds apart that each find
   * someone, each followed ten seconds later by a look at the customer found or not; her measure at the end.
   */
  private Measure searchesThatFindSomeone(Detector d, int searches, boolean looked) {
    d.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(5);
    for (int day = 0; day < 10; day++) {
      day(d, ANA, day, 1, 0, 0, true, r);
    }
    Instant t = T0.plus(Duration.ofDays(10)).plus(Duration.ofHours(3));
    for (int i = 0; i < searches && d.measure(ANA) != Measure.SUSPEND; i++) {
      Instant u = t.plusSeconds(25L * i);
      d.observe(new Observation.Search(u, ANA, 1, true));
      if (looked) {
        d.observe(Touch.view(u.plusSeconds(10), ANA, new CustomerId("s" + i), Basis.OWN_TICKET, false, true));
      }
    }
    return d.measure(ANA);
  }

  @Test
  void searchHitsNobodyLooksAt_areReadAsUnusedSearches() {
    // Seven guesses that all happen to hit, in three minutes: the misses say nothing, the rate
    // little; the hits taken from the results page and never opened give the enumerator away.
    Measure m = searchesThatFindSomeone(detector, 7, false);
    assertThat(m).isEqualTo(Measure.SUSPEND);
    assertThat(detector.assess(ANA).readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SEARCH_UNUSED);
      assertThat(x.value()).isGreaterThanOrEqualTo(3);
      assertThat(x.surprise()).isGreaterThanOrEqualTo(8);
    });
  }

  @Test
  void searchHitsFollowedByALookAtTheCustomer_areNotUnused() {
    searchesThatFindSomeone(detector, 7, true);
    assertThat(detector.assess(ANA).readings()).noneSatisfy(x -> assertThat(x.signal()).isEqualTo(Signal.SEARCH_UNUSED));
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

  /**
   * One working day of {@code staff} from {@code day}'s 08:00: 35 tickets (each requester viewed,
   * sometimes a linked account), {@code pace} times as many on a surge day, plus {@code extra}
   * customers on no ticket at random times and {@code fabricated} tickets the person created for
   * customers who had not been in contact.
   */
  private static void day(Detector d, StaffId staff, int day, double pace, int extra, int fabricated, boolean onShift,
      SplittableRandom r) {
    Instant start = T0.plus(Duration.ofDays(day));
    int tickets = (int) (35 * pace);
    for (int i = 0; i < tickets; i++) {
      Instant t = start.plusSeconds(i * 800L / (long) Math.max(1, pace) + r.nextInt(300));
      CustomerId c = new CustomerId("c" + r.nextInt(1_000_000));
      d.observe(new TicketFact(t, staff, TicketFact.Kind.ASSIGNED, c, t.minusSeconds(3600), true));
      d.observe(Touch.view(t.plusSeconds(5), staff, c, Basis.OWN_TICKET, r.nextInt(20) == 0, onShift));
      if (r.nextInt(8) == 0) {
        d.observe(Touch.view(t.plusSeconds(40), staff, new CustomerId("c" + r.nextInt(1_000_000)), Basis.LINKED, false, onShift));
      }
      d.observe(new TicketFact(t.plusSeconds(600), staff, TicketFact.Kind.CLOSED, c, t.minusSeconds(3600), true));
      if (i < extra) {
        Instant u = t.plusSeconds(200);
        d.observe(Touch.view(u, staff, new CustomerId("x" + r.nextInt(1_000_000)), Basis.NONE, false, onShift));
      }
      if (i < fabricated) {
        Instant u = t.plusSeconds(300);
        CustomerId f = new CustomerId("f" + r.nextInt(1_000_000));
        d.observe(new TicketFact(u, staff, TicketFact.Kind.CREATED_BY_SELF, f, u, false));
        d.observe(Touch.view(u.plusSeconds(30), staff, f, Basis.OWN_TICKET, false, onShift));
        d.observe(new TicketFact(u.plusSeconds(1800), staff, TicketFact.Kind.CLOSED, f, u, true));
      }
    }
  }

  /** Enrols {@code staff} and plays ten ordinary working days of theirs; returns the random source to go on with. */
  private SplittableRandom afterTenOrdinaryDays(StaffId staff, long seed) {
    detector.enrol(new StaffProfile(staff, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(seed);
    for (int d = 0; d < 10; d++) {
      day(detector, staff, d, 1, 0, 0, true, r);
    }
    return r;
  }

  /** The days (after ten honest ones) until {@code staff} is suspended taking a little a day; -1 if never in 20. */
  private int daysUntilSuspended(int extra, int fabricated) {
    SplittableRandom r = afterTenOrdinaryDays(ANA, 3);
    assertThat(escalations).isEmpty();
    for (int d = 10; d < 30; d++) {
      day(detector, ANA, d, 1, extra, fabricated, true, r);
      if (detector.measure(ANA) == Measure.SUSPEND) {
        return d - 9;
      }
    }
    return -1;
  }

  @Test
  void threeCustomersOnNoTicketADay_accumulateIntoASuspensionWithinAWeek() {
    int days = daysUntilSuspended(3, 0);
    assertThat(days).isBetween(1, 7);
    assertThat(escalations.getLast().readings().getFirst().signal()).isIn(Signal.NO_TICKET_EXCESS, Signal.NO_TICKET);
    assertThat(escalations.getLast().readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.NO_TICKET_EXCESS);
      assertThat(x.surprise()).isGreaterThan(8);
    });
  }

  @Test
  void threeSelfCreatedTicketsADayForCustomersNotInContact_accumulateIntoASuspensionWithinAWeek() {
    int days = daysUntilSuspended(0, 3);
    assertThat(days).isBetween(1, 7);
    assertThat(escalations.getLast().readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SELF_CREATED_EXCESS);
      assertThat(x.value()).isGreaterThanOrEqualTo(6);
    });
  }

  /** Ana's assessment after ten honest days and then four with one customer on no ticket a day, VIP or not. */
  private Assessment afterOneCustomerOnNoTicketADay(boolean vip) {
    SplittableRandom r = afterTenOrdinaryDays(ANA, 5);
    for (int d = 10; d < 14; d++) {
      day(detector, ANA, d, 1, 0, 0, true, r);
      Instant t = T0.plus(Duration.ofDays(d)).plusSeconds(4 * 3600);
      detector.observe(Touch.view(t, ANA, new CustomerId("v" + d), Basis.NONE, vip, true));
    }
    return detector.assess(ANA);
  }

  @Test
  void oneVipCustomerOnNoTicketADay_addsUpAsHighValueEvidence() {
    Assessment vip = afterOneCustomerOnNoTicketADay(true);
    assertThat(vip.readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.HIGH_VALUE);
      assertThat(x.value()).isEqualTo(4);
      assertThat(x.surprise()).isGreaterThan(5);
    });
  }

  @Test
  void oneOrdinaryCustomerOnNoTicketADay_addsNoHighValueEvidence() {
    Assessment ordinary = afterOneCustomerOnNoTicketADay(false);
    assertThat(ordinary.readings()).noneSatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.HIGH_VALUE);
      assertThat(x.surprise()).isPositive();
    });
  }

  /**
   * {@code own} tickets a day that the person creates for customers not in contact on top of a
   * day of ticket work, every {@code vipEvery}-th of them (counted over the whole run, 0: none)
   * for a VIP customer; each viewed a minute after creation and closed half an hour later.
   */
  private static void outboundDay(Detector d, StaffId staff, int day, int own, int[] made, int vipEvery, SplittableRandom r) {
    day(d, staff, day, 1, 0, 0, true, r);
    Instant start = T0.plus(Duration.ofDays(day)).plusSeconds(1800);
    for (int i = 0; i < own; i++) {
      Instant u = start.plusSeconds(i * 7200L + r.nextInt(600));
      CustomerId c = new CustomerId("o" + r.nextInt(1_000_000));
      made[0]++;
      boolean vip = vipEvery > 0 && made[0] % vipEvery == 0;
      selfCreatedTicket(d, staff, u, c, vip, 1800);
    }
  }

  /** A ticket {@code staff} creates at {@code u} for {@code c}, viewed a minute later and closed after {@code closedAfter} seconds. */
  private static void selfCreatedTicket(Detector d, StaffId staff, Instant u, CustomerId c, boolean vip, long closedAfter) {
    d.observe(new TicketFact(u, staff, TicketFact.Kind.CREATED_BY_SELF, c, u, false));
    d.observe(Touch.view(u.plusSeconds(60), staff, c, Basis.OWN_TICKET, vip, true));
    d.observe(new TicketFact(u.plusSeconds(closedAfter), staff, TicketFact.Kind.CLOSED, c, u, true));
  }

  /** Days until Ana, who creates three outbound tickets a day as her peer Ben does, is suspended once she adds {@code extra} a day (every {@code vipEvery}-th extra one VIP); -1 if never in 20. */
  private static int daysUntilAHeavyOutboundAgentIsSuspended(Detector detector, int extra, int vipEvery) {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(7);
    int[] honest = {0};
    int[] fabricated = {0};
    for (int d = 0; d < 10; d++) {
      outboundDay(detector, BEN, d, 3, honest, 0, r);
      outboundDay(detector, ANA, d, 3, honest, 0, r);
    }
    for (int d = 10; d < 30; d++) {
      outboundDay(detector, BEN, d, 3, honest, 0, r);
      outboundDay(detector, ANA, d, 3, honest, 0, r);
      Instant start = T0.plus(Duration.ofDays(d)).plusSeconds(2400);
      for (int i = 0; i < extra; i++) {
        Instant u = start.plusSeconds(i * 5400L + r.nextInt(600));
        CustomerId c = new CustomerId("f" + r.nextInt(1_000_000));
        fabricated[0]++;
        boolean vip = vipEvery > 0 && fabricated[0] % vipEvery == 0;
        selfCreatedTicket(detector, ANA, u, c, vip, 2400);
      }
      if (detector.measure(ANA) == Measure.SUSPEND) {
        return d - 9;
      }
    }
    return -1;
  }

  /**
   * A day of 35 tickets in which the person also creates {@code own} tickets for customers not in
   * contact (none a VIP), in time order and hours apart (no window sees two together).
   */
  private static void spacedOutboundDay(Detector d, StaffId staff, int day, int own, SplittableRandom r) {
    Instant start = T0.plus(Duration.ofDays(day));
    for (int i = 0; i < 35; i++) {
      Instant t = start.plusSeconds(i * 800L + r.nextInt(300));
      CustomerId c = new CustomerId("c" + r.nextInt(1_000_000));
      d.observe(new TicketFact(t, staff, TicketFact.Kind.ASSIGNED, c, t.minusSeconds(3600), true));
      d.observe(Touch.view(t.plusSeconds(5), staff, c, Basis.OWN_TICKET, r.nextInt(20) == 0, true));
      d.observe(new TicketFact(t.plusSeconds(600), staff, TicketFact.Kind.CLOSED, c, t.minusSeconds(3600), true));
      if (i % 8 == 4 && i / 8 < own) {
        Instant u = t.plusSeconds(300);
        selfCreatedTicket(d, staff, u, new CustomerId("o" + r.nextInt(1_000_000)), false, 400);
      }
    }
  }

  @Test
  void daysInsideAnOpenRunOfSelfCreatedTickets_areNotLearntAsOrdinary() {
    // Ana and Ben create one outbound ticket a day for a customer not in contact; from day 10 Ana
    // creates two more a day, hours apart: no window sees two together and no single day's share is
    // unusual, so only the accumulated excess notices, days after the run began. The run's first days
    // (before its sum was evidence) are learnt a week late: fully, they raised the baseline of her
    // self-created share by two fifths in ten days and its reading stayed at zero. (Her peers' pool,
    // half of it hers here, still learns them: her prior moves a little.)
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(7);
    double before = 0;
    for (int d = 0; d < 20; d++) {
      spacedOutboundDay(detector, BEN, d, 1, r);
      spacedOutboundDay(detector, ANA, d, 1 + (d >= 10 ? 2 : 0), r);
      if (d == 9) {
        before = reading(detector, ANA, Signal.SELF_CREATED).ownBaseline();
      }
    }
    assertThat(escalations).isEmpty();
    assertThat(reading(detector, ANA, Signal.SELF_CREATED_EXCESS).surprise()).isGreaterThanOrEqualTo(2);
    Reading share = reading(detector, ANA, Signal.SELF_CREATED);
    assertThat(share.ownBaseline()).as(detector.assess(ANA).explain()).isLessThan(1.2 * before);
    assertThat(share.surprise()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void selfCreatedTicketsForVipCustomersNotInContact_addUpAsSelfCreatedHighValueEvidence() {
    // Ana already creates three outbound tickets a day; one more a day, each for a VIP.
    // read as she is suspended (day 14 at the default thresholds)
    assertThat(daysUntilAHeavyOutboundAgentIsSuspended(detector, 1, 1)).isBetween(1, 20);
    Reading r = reading(detector, ANA, Signal.SELF_CREATED_HIGH_VALUE);
    assertThat(r.value()).isGreaterThanOrEqualTo(4);
    assertThat(r.surprise()).isGreaterThan(3);
  }

  @Test
  void fabricationThatPicksVips_byAHeavyOutboundAgent_isSuspendedLongBeforeTheCountAloneWouldBe() {
    // Two more tickets a day than her honest three: within what her own rate allows for weeks
    // (the count alone suspends her on day 17 at the default thresholds, never within 20 at 12 and 13).
    // One of the two a VIP each day: whom she picks gives her away (day 9).
    int days = daysUntilAHeavyOutboundAgentIsSuspended(detector, 2, 2);
    int withoutVips = daysUntilAHeavyOutboundAgentIsSuspended(new Detector(DetectionPolicy.defaults(), a -> { }), 2, 0);
    assertThat(days).isBetween(1, 10);
    assertThat(withoutVips == -1 || withoutVips >= days + 5).as("the count alone: day %d; with the VIPs: day %d", withoutVips, days)
        .isTrue();
    assertThat(escalations.getLast().readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SELF_CREATED_HIGH_VALUE);
      assertThat(x.surprise()).isGreaterThanOrEqualTo(2);
    });
  }

  /**
   * The risk by the general rule (the strongest substantive reading plus half of each other one of
   * at least 2, of a window's share and its accumulated twin the stronger), for an assessment with
   * no context readings.
   */
  private static double halvedRisk(Assessment a) {
    double top = 0;
    double sum = 0;
    for (Reading x : a.readings()) {
      Signal twin = switch (x.signal()) {
        case SELF_CREATED -> Signal.SELF_CREATED_EXCESS;
        case SELF_CREATED_EXCESS -> Signal.SELF_CREATED;
        case NO_TICKET -> Signal.NO_TICKET_EXCESS;
        case NO_TICKET_EXCESS -> Signal.NO_TICKET;
        default -> null;
      };
      double other = twin == null ? 0 : surprise(a, twin);
      if (other > x.surprise() || other == x.surprise() && twin != null && twin.ordinal() < x.signal().ordinal()) {
        continue;
      }
      if (x.surprise() >= 2) {
        sum += x.surprise();
        top = Math.max(top, x.surprise());
      }
    }
    return top + 0.5 * (sum - top);
  }

  private static double surprise(Assessment a, Signal... signals) {
    return a.readings().stream().filter(x -> List.of(signals).contains(x.signal())).mapToDouble(Reading::surprise).max()
        .orElse(0);
  }

  @Test
  void vipsOnSelfCreatedTickets_countInFullBesideTheCountOfThoseTickets() {
    // Two more tickets a day than her honest three, one of the two a VIP: how many tickets and whom
    // each is for are two parts of one likelihood ratio, so the VIPs are not halved beside the count.
    daysUntilAHeavyOutboundAgentIsSuspended(detector, 2, 2);
    Assessment last = escalations.getLast();
    double count = surprise(last, Signal.SELF_CREATED, Signal.SELF_CREATED_EXCESS);
    double vips = surprise(last, Signal.SELF_CREATED_HIGH_VALUE);
    assertThat(last.readings()).noneSatisfy(x -> assertThat(x.signal()).isIn(Signal.OFF_SHIFT, Signal.NEW_DEVICE));
    assertThat(count).isGreaterThanOrEqualTo(2);
    assertThat(vips).isGreaterThanOrEqualTo(2);
    assertThat(last.risk()).isCloseTo(halvedRisk(last) + 0.5 * Math.min(count, vips), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void oneHonestVipOnAnEarlyOutboundTicket_doesNotMakeTheOwnVipRateOnSelfCreatedTicketsAHabit() {
    // Ana and Ben create an outbound ticket a day for a customer not in contact; Ana's first one, on
    // her first day, happened to be for a VIP. From day 14 she creates three a day (two fabricated),
    // every second one for a VIP. Her own rate of such VIPs is her rate of such tickets times the customers' VIP
    // share, not one VIP in a fortnight (which, counted alone, is 10-30 times her peers' rate).
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(13);
    int[] honest = {0};
    int[] first = {0};
    for (int d = 0; d < 14; d++) {
      outboundDay(detector, BEN, d, 1, honest, 0, r);
      outboundDay(detector, ANA, d, 1, first, d == 0 ? 1 : 0, r);
    }
    int[] fabricated = {0};
    for (int d = 14; d < 18; d++) {
      outboundDay(detector, BEN, d, 1, honest, 0, r);
      outboundDay(detector, ANA, d, 3, fabricated, 2, r);
    }
    Reading vips = reading(detector, ANA, Signal.SELF_CREATED_HIGH_VALUE);
    assertThat(vips.value()).isGreaterThanOrEqualTo(3);
    assertThat(vips.ownBaseline()).isLessThan(3 * vips.peerBaseline());
    assertThat(vips.surprise()).as(detector.assess(ANA).explain()).isGreaterThanOrEqualTo(3);
  }

  /**
   * Ana and her peer Ben each create six outbound tickets a day on top of their ticket work, one in
   * six for a customer not in contact; from day 10 Ana also creates {@code extra} a day for customers
   * not in contact (none a VIP). Ana's assessment after day 15.
   */
  private Assessment aHeavyOutboundAgentWhoAdds(int extra) {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(10);
    for (int d = 0; d < 16; d++) {
      for (StaffId who : List.of(BEN, ANA)) {
        day(detector, who, d, 1, 0, 0, true, r);
        Instant start = T0.plus(Duration.ofDays(d)).plusSeconds(1200);
        int own = 6 + (who == ANA && d >= 10 ? extra : 0);
        for (int i = 0; i < own; i++) {
          Instant u = start.plusSeconds(i * 3600L + r.nextInt(600));
          CustomerId c = new CustomerId("o" + r.nextInt(1_000_000));
          boolean inContact = i < 6 && (d * 6 + i) % 6 != 0;
          detector.observe(new TicketFact(u, who, TicketFact.Kind.CREATED_BY_SELF, c, u, inContact));
          detector.observe(Touch.view(u.plusSeconds(60), who, c, Basis.OWN_TICKET, false, true));
          detector.observe(new TicketFact(u.plusSeconds(2400), who, TicketFact.Kind.CLOSED, c, u, true));
        }
      }
    }
    return detector.assess(ANA);
  }

  @Test
  void ticketsForCustomersNotInContact_amongAHeavyOutboundAgentsOwn_areReadAsUnsolicited() {
    // Three a day more than her one in six for six days: over the fortnight's window a third of
    // her own tickets are unsolicited, twice her usual mix.
    Assessment a = aHeavyOutboundAgentWhoAdds(3);
    assertThat(a.readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SELF_CREATED_UNSOLICITED);
      assertThat(x.value()).isGreaterThan(0.3);
      assertThat(x.surprise()).isGreaterThanOrEqualTo(3);
    });
  }

  @Test
  void aHeavyOutboundAgentsUsualMix_isNotUnsolicited() {
    Assessment a = aHeavyOutboundAgentWhoAdds(0);
    assertThat(escalations).isEmpty();
    assertThat(a.readings()).noneSatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SELF_CREATED_UNSOLICITED);
      assertThat(x.surprise()).isPositive();
    });
  }

  @Test
  void anAgentWhoseOwnTicketsAreAllUnsolicited_isJudgedAgainstTheirOwnMix() {
    // Ana and Ben's outbound work is all for customers not in contact (a proactive-outreach desk),
    // three tickets a day: a peer prior pulled towards the usual mix would read every day as a change.
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(11);
    int[] made = {0};
    for (int d = 0; d < 20; d++) {
      outboundDay(detector, BEN, d, 3, made, 0, r);
      outboundDay(detector, ANA, d, 3, made, 0, r);
    }
    assertThat(detector.assess(ANA).readings()).noneSatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SELF_CREATED_UNSOLICITED);
      assertThat(x.surprise()).isPositive();
    });
  }

  @Test
  void honestOutboundTicketsWithAnOccasionalVip_raiseNothing() {
    // An outbound ticket a day for a customer not in contact (as her peer), one in ten for a VIP
    // (three times their share of customers), for four weeks.
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(8);
    int[] made = {0};
    for (int d = 0; d < 28; d++) {
      outboundDay(detector, BEN, d, 1, new int[1], 0, r);
      outboundDay(detector, ANA, d, 1, made, 10, r);
    }
    assertThat(escalations).isEmpty();
    assertThat(detector.assess(ANA).readings()).noneSatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.SELF_CREATED_HIGH_VALUE);
      assertThat(x.surprise()).isGreaterThanOrEqualTo(2);
    });
  }

  /**
   * Ana's days 0-9: ticket work plus three break-glass customers a day (twenty times a usual rate),
   * two of the thirty VIPs; then on day 10 {@code vips} VIP customers on no ticket, one an hour.
   */
  private Assessment aHeavyBreakGlassUserWho(int vips) {
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    detector.enrol(new StaffProfile(BEN, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(9);
    for (int d = 0; d < 10; d++) {
      day(detector, BEN, d, 1, 0, 0, true, r);
      day(detector, ANA, d, 1, 0, 0, true, r);
      for (int i = 0; i < 3; i++) {
        Instant t = T0.plus(Duration.ofDays(d)).plusSeconds(3600L + i * 7200L);
        detector.observe(Touch.view(t, ANA, new CustomerId("g" + d + "-" + i), Basis.BREAK_GLASS, i == 0 && d % 4 == 2, true));
      }
    }
    day(detector, BEN, 10, 1, 0, 0, true, r);
    day(detector, ANA, 10, 1, 0, 0, true, r);
    for (int i = 0; i < vips; i++) {
      Instant t = T0.plus(Duration.ofDays(10)).plusSeconds(1800L + i * 3600L);
      detector.observe(Touch.view(t, ANA, new CustomerId("vip" + i), Basis.BREAK_GLASS, true, true));
    }
    return detector.assess(ANA);
  }

  @Test
  void vipsAmongTheCustomersOnNoTicket_ofAHeavyBreakGlassUser_areReadAsHighValue() {
    Assessment a = aHeavyBreakGlassUserWho(6);
    assertThat(a.readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.HIGH_VALUE);
      assertThat(x.value()).isBetween(0.15, 0.99); // a share of the customers on no ticket, not a count
      assertThat(x.surprise()).isGreaterThan(5);
    });
  }

  @Test
  void heavyBreakGlassReachingVipsAsOftenAsTheyAreAmongCustomers_raisesNoHighValueEvidence() {
    Assessment a = aHeavyBreakGlassUserWho(0);
    assertThat(a.readings()).noneSatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.HIGH_VALUE);
      assertThat(x.surprise()).isGreaterThanOrEqualTo(2);
    });
  }

  /**
   * A person whose learnt days held no customer on no ticket has a posterior share well below
   * their peers', and it says little: over a two-week window the share's spread is the
   * beta-binomial's, not a binomial's at that mean. Their first honest burst (ten customers on no
   * ticket over two days, none close together) is judged against the share's upper bound, which is
   * not below the peers', and is not alert-level evidence on its own (surprise 7.1); judged at the
   * posterior mean it was (10.8).
   */
  @Test
  void aFirstBurstOfCustomersOnNoTicket_isJudgedOverTwoWeeksAgainstTheOwnShareUpperBound() {
    SplittableRandom r = afterTenOrdinaryDays(ANA, 11);
    day(detector, ANA, 10, 1, 5, 0, true, r);
    day(detector, ANA, 11, 1, 5, 0, true, r);
    Reading share = detector.assess(ANA).readings().stream().filter(x -> x.signal() == Signal.NO_TICKET).findFirst()
        .orElseThrow();
    assertThat(share.value()).isBetween(0.01, 0.05); // 10 of the two weeks' customers, not a 15-minute burst
    assertThat(share.surprise()).isBetween(2.0, DetectionPolicy.defaults().alert);
    assertThat(share.ownBaseline()).isGreaterThanOrEqualTo(share.peerBaseline());
  }

  /**
   * A day unusual only for its person (here Ana's whole day off shift, against her learnt share near
   * none; off-shift work is context and raises no risk on its own) is held back from her own
   * baseline, as a change of hers, and learnt fully into the history of her peer group of five, as a
   * day of the desk: held back from both, the days on which people whose history held little of something did
   * it reached the group at a tenth, and the group's prior understated the desk.
   */
  @Test
  void aDayUnusualOnlyForItsPerson_isHeldBackFromTheirBaseline_andTeachesTheirPeersInFull() {
    List<StaffId> peers = List.of(BEN, new StaffId("cy"), new StaffId("dee"), new StaffId("eve"));
    for (StaffId p : peers) {
      detector.enrol(new StaffProfile(p, "emea", Role.SUPPORT_L1, "day"));
    }
    SplittableRandom r = afterTenOrdinaryDays(ANA, 13);
    for (int d = 0; d < 19; d++) {
      if (d >= 10) {
        day(detector, ANA, d, 1, 0, 0, d != 10, r);
      }
      for (StaffId p : peers) {
        day(detector, p, d, 1, 0, 0, true, r);
      }
    }
    assertThat(escalations).isEmpty();
    Reading offShift = detector.assess(ANA).readings().stream().filter(x -> x.signal() == Signal.OFF_SHIFT).findFirst()
        .orElseThrow();
    // the group learnt Ana's off-shift day in full: a share of 0.018 (at a tenth, as before session 16: 0.002)
    assertThat(offShift.peerBaseline()).isGreaterThan(0.01);
    assertThat(offShift.ownBaseline()).isLessThan(offShift.peerBaseline());
  }

  /**
   * During the warm-up no measure applies and no one's own rate is learnt: customers on no ticket
   * then accumulate against the priors alone. Ana's honest burst of break-glass on day 7, before her
   * desk has learnt a single day, made a sum of that kind, and it suspended her on the first event
   * after the warm-up (risk 12.9 at 08:00 on day 8, with nothing new since the burst).
   */
  @Test
  void aBurstOfCustomersOnNoTicketDuringTheWarmUp_isNotCarriedPastIt() {
    List<StaffId> peers = List.of(BEN, new StaffId("cy"), new StaffId("dee"), new StaffId("eve"));
    for (StaffId p : peers) {
      detector.enrol(new StaffProfile(p, "emea", Role.SUPPORT_L1, "day"));
    }
    detector.enrol(new StaffProfile(ANA, "emea", Role.SUPPORT_L1, "day"));
    SplittableRandom r = new SplittableRandom(17);
    for (int d = 0; d < 10; d++) {
      for (StaffId p : peers) {
        day(detector, p, d, 1, 0, 0, true, r);
      }
      day(detector, ANA, d, 1, d == 7 ? 8 : 0, 0, true, r);
    }
    assertThat(escalations).isEmpty();
    Assessment now = detector.assess(ANA);
    assertThat(surprise(now, Signal.NO_TICKET_EXCESS)).isZero();
    // the burst is still in her two-week window, read as a share against her own and her peers' share
    assertThat(surprise(now, Signal.NO_TICKET)).isBetween(2.0, DetectionPolicy.defaults().alert);
  }

  @Test
  void aSingleCustomerOnNoTicket_fadesAway() {
    SplittableRandom r = afterTenOrdinaryDays(ANA, 4);
    day(detector, ANA, 10, 1, 1, 0, true, r);
    day(detector, ANA, 11, 1, 0, 0, true, r);
    day(detector, ANA, 12, 1, 0, 0, true, r);
    assertThat(escalations).isEmpty();
    assertThat(detector.assess(ANA).readings()).noneSatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.NO_TICKET_EXCESS);
      assertThat(x.surprise()).isPositive();
    });
  }

  @Test
  void offShiftWorkFromANewDevice_withNothingElse_raisesNothing() {
    SplittableRandom r = afterTenOrdinaryDays(ANA, 5);
    detector.observe(new Observation.SessionStart(T0.plus(Duration.ofDays(10)), ANA, true, true));
    day(detector, ANA, 10, 1, 0, 0, false, r);
    assertThat(escalations).isEmpty();
    assertThat(detector.assess(ANA).risk()).isZero();
    assertThat(detector.assess(ANA).readings()).anySatisfy(x -> {
      assertThat(x.signal()).isEqualTo(Signal.OFF_SHIFT);
      assertThat(x.surprise()).isGreaterThanOrEqualTo(2);
    });
  }

  @Test
  void aSurgeOfTheWholeTeam_raisesTheVolumeExpectedOfEachMember() {
    TwinDesks desks = TwinDesks.learnt(6);
    // Day 10: in one desk everyone works three times the tickets; in the other only the last member.
    desks.day10(0);
    Reading inTeam = reading(desks.team, desks.last(), Signal.VOLUME);
    Reading alone = reading(desks.aloneInTheSurge, desks.last(), Signal.VOLUME);
    assertThat(inTeam.value()).isEqualTo(alone.value());
    assertThat(inTeam.ownBaseline()).isGreaterThan(2 * alone.ownBaseline());
  }

  @Test
  void selfCreatedTicketsOnASurgeOfTheWholeTeam_weighLessThanOnAnOrdinaryDay() {
    TwinDesks desks = TwinDesks.learnt(8);
    // Day 10: three times the tickets, and three of the last member's own tickets for customers
    // not in contact; in one desk the whole team surges, in the other only that member.
    desks.day10(3);
    Reading inTeam = reading(desks.team, desks.last(), Signal.SELF_CREATED_EXCESS);
    Reading alone = reading(desks.aloneInTheSurge, desks.last(), Signal.SELF_CREATED_EXCESS);
    assertThat(inTeam.value()).isEqualTo(alone.value()).isEqualTo(3);
    assertThat(inTeam.surprise()).isLessThan(alone.surprise() - 1);
  }

  /**
   * Two desks of six L1 agents that learnt the same ten ordinary days; on day 10 the last member
   * works three times the tickets in both, and the others too in {@code team} only.
   */
  private record TwinDesks(Detector team, Detector aloneInTheSurge, List<StaffId> members, SplittableRandom random) {

    static TwinDesks learnt(long seed) {
      TwinDesks desks = new TwinDesks(new Detector(DetectionPolicy.defaults(), a -> {}),
          new Detector(DetectionPolicy.defaults(), a -> {}), new ArrayList<>(), new SplittableRandom(seed));
      for (int i = 0; i < 6; i++) {
        StaffId m = new StaffId("m" + i);
        desks.members.add(m);
        desks.team.enrol(new StaffProfile(m, "emea", Role.SUPPORT_L1, "day"));
        desks.aloneInTheSurge.enrol(new StaffProfile(m, "emea", Role.SUPPORT_L1, "day"));
      }
      for (int d = 0; d < 10; d++) {
        for (StaffId m : desks.members) {
          long daySeed = desks.random.nextLong();
          day(desks.team, m, d, 1, 0, 0, true, new SplittableRandom(daySeed));
          day(desks.aloneInTheSurge, m, d, 1, 0, 0, true, new SplittableRandom(daySeed));
        }
      }
      return desks;
    }

    StaffId last() {
      return members.getLast();
    }

    /** Day 10, the surge; the last member also creates {@code fabricated} tickets for customers not in contact. */
    void day10(int fabricated) {
      for (StaffId m : members) {
        long daySeed = random.nextLong();
        int own = m.equals(last()) ? fabricated : 0;
        day(team, m, 10, 3, 0, own, true, new SplittableRandom(daySeed));
        day(aloneInTheSurge, m, 10, m.equals(last()) ? 3 : 1, 0, own, true, new SplittableRandom(daySeed));
      }
    }
  }

  private static Reading reading(Detector d, StaffId staff, Signal signal) {
    return d.assess(staff).readings().stream().filter(x -> x.signal() == signal).findFirst().orElseThrow();
  }

  @Test
  void policy_refusesThresholdsOutOfOrder() {
    assertThatThrownBy(() -> DetectionPolicy.builder().thresholds(10, 8, 12, 14))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("strictly increasing");
    assertThatThrownBy(() -> DetectionPolicy.builder().shortWindow(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shortWindow");
  }
}
