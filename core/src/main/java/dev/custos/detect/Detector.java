package dev.custos.detect;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Classification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The streaming insider-detection engine: it reads {@link Observation}s one at a time, keeps a
 * small state per member of staff, and answers each with the {@link Measure} the policy asks for.
 * Pure and deterministic: its only clock is the observations' event time, it never reads the wall
 * clock or a random source, and the same observations in the same order give the same measures.
 *
 * <h2>How it scores</h2>
 * Each person has three sets of counters: a short window (bursts, default 15 minutes), a long window
 * (slow drifts, default 14 days), both decaying exponentially, and an undecayed history that is their
 * baseline. Their peer group (same team, role and shift) pools its members' histories and is the
 * prior of each person's baseline, so a newcomer is compared with their peers until their own
 * history outweighs the prior. Every signal is a tail probability of the window's count under the
 * baseline (binomial for shares, negative binomial for rates, Poisson for coincidences; the two-week
 * share of customers on no ticket at the own share's upper bound, see {@link #shareBound}), reported
 * as a surprise {@code -log10 p}; four more accumulate evidence over days (CUSUMs of customers on
 * no ticket, of VIPs among them, of self-created tickets and of VIPs on those, each against the
 * person's own rate), so that a steady small excess adds up where a window forgets it. Two read
 * what a count cannot: the mix of the person's own tickets (how many are for customers not in
 * contact) and searches whose hit the person never opened. The risk is the strongest substantive surprise plus
 * half of each other one that is at least 2 (of a window's share and its accumulated twin, only
 * the stronger; the VIPs on self-created tickets join the count of those tickets in full), plus half the off-shift surprise but at most half that sum (context amplifies, it
 * never alerts alone), times 1.25 during a session from a new device or address. A desk-wide surge
 * raises the volume, and the self-created tickets, expected of each member of the group. Behaviour scored above
 * {@link DetectionPolicy.Builder#learnBelow} of the alert threshold does not teach the baseline, and
 * a day unusual only for the person teaches their group (of five or more), not them.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A touch of a decoy MUST return {@link Measure#SUSPEND}, whatever else is known.</li>
 *   <li>A suspension is held until {@link #restore}; weaker measures lapse when the risk falls
 *       below half their threshold.</li>
 *   <li>Every rise of a person's measure is reported once to the escalation consumer, with its
 *       explanation, before {@link #observe} returns.</li>
 *   <li>Not thread-safe: one detector per partition of staff, fed by one thread.</li>
 * </ul>
 * The hot path allocates nothing unless a person is seen for the first time or escalates.
 */
public final class Detector {
  // Counter indices: each window and each history holds one double per counter.
  static final int CUSTOMERS = 0;
  static final int UNEXPLAINED = 1;
  static final int HIGH_VALUE = 2;
  static final int REVEALS = 3;
  static final int SENSITIVE = 4;
  static final int SEARCHES = 5;
  static final int OFF_SHIFT = 6;
  static final int EVENTS = 7;
  static final int TICKETS = 8;
  static final int SELF_CREATED = 9;
  static final int CLOSED = 10;
  static final int QUICK_CLOSED = 11;
  static final int SHARED = 12;
  static final int UNEXPLAINED_HIGH = 13;
  static final int SEARCH_MISSES = 14;
  /** Self-created tickets for customers not in contact whose customer turned out VIP or high-balance. */
  static final int SELF_CREATED_HIGH = 15;
  /** Searches that found someone the person did not look at before their next search. */
  static final int SEARCH_UNUSED = 16;
  /** Tickets the person created themselves, for customers in contact or not. */
  static final int SELF_CREATED_ALL = 17;
  static final int COUNTERS = 18;

  private static final long MAX_GAP_MILLIS = 10 * 60_000L;
  private static final double COUNTED = 2;
  private static final double UNUSUAL_WEIGHT = 0.1;
  /**
   * The fewest members of a peer group that learns a day unusual for one of them in full: in a
   * smaller group one person's change would move the prior of everyone in it, their own included,
   * by a fifth or more, so such a day is learnt there at a tenth.
   */
  private static final int TEACHING_GROUP = 5;
  private static final long DAY_MILLIS = 86_400_000L;
  /** Days before behaviour teaches the baseline. */
  static final int LAG_DAYS = 7;
  /**
   * The most a context signal (off-shift, new device) scores: context amplifies evidence of misuse
   * and is none on its own (at 4, off-shift minutes alone tipped moderate shares into false alerts).
   */
  private static final double CONTEXT_CAP = 3.5;
  private static final double NEW_DEVICE_FACTOR = 1.25;
  /**
   * The excess of VIP and high-balance customers on no ticket the third accumulating signal is
   * tuned to: one every three shifts or so. Honest break-glass reaches a VIP about once in thirty
   * (their share of customers); an insider who reaches beyond their work for whom it pays to leak
   * does so far more often, and each such customer is strong evidence on its own (ln(1 + excess /
   * own rate) is 1.5-4 for a person whose own rate is peer-like), so a handful over weeks adds up
   * even when the count of customers on no ticket alone stays within what the person's own rate
   * allows. Counted as a reading of {@link Signal#HIGH_VALUE}: the same question (whom the person
   * reaches for), over days instead of a window.
   */
  private static final double VIP_EXCESS_PER_SHIFT = 0.3;
  /**
   * The excess of VIP and high-balance customers on self-created tickets for customers not in
   * contact that the fourth accumulating signal is tuned to, per shift: the same question as
   * {@link #VIP_EXCESS_PER_SHIFT} (whom the person reaches for), asked of the tickets a person
   * makes for themselves. Honest outbound work picks its customers by their needs, so VIPs are
   * about as rare among them as among all customers (a few percent of a handful a day: one in
   * months); a fabricator chooses, and the VIPs they choose are evidence however many outbound
   * tickets their honest work creates (judged against a floor of the peers' outbound rate times
   * the customers' VIP share: see {@link #peerExcessRate}).
   */
  private static final double SELF_CREATED_VIP_EXCESS_PER_SHIFT = 0.3;
  /**
   * The fewest VIPs on a person's self-created tickets (in one run of the accumulating signal) that
   * count as evidence. The reading rests on a reference rate that no one's history can estimate (a
   * handful of such VIPs in months; the floor is the peers' outbound rate, which understates a busy
   * honest outbound agent's), and one or two VIPs are what chance gives such an agent: counted from
   * the first, a single VIP scored 2 and tipped an honest agent's borderline reading into an alert
   * (seed 31, agent-380); from the second, two honest agents' pairs did the same on seeds 259 and
   * 393 (2.3 and 2.4 beside a self-created excess of 4-8).
   */
  private static final int MIN_SELF_CREATED_VIPS = 3;
  /**
   * How many of a person's self-created tickets (customers not in contact) are remembered until
   * their first view says whether the customer is high-value; older ones are forgotten first.
   */
  private static final int OPEN_OWN = 8;
  /**
   * The excess the accumulating signals are tuned to find: two customers (or self-created tickets)
   * more per shift of active work than the person's own rate. A CUSUM is most sensitive to the
   * shift it is tuned for; a few a day is what a careful insider takes (Coinbase's agents: 69,461
   * customers over 4.5 months, a few hundred a day across the group).
   * (The third is {@link #VIP_EXCESS_PER_SHIFT}, the fourth {@link #SELF_CREATED_VIP_EXCESS_PER_SHIFT}.)
   */
  private static final double[] EXCESS_PER_MINUTE = {2.0 / 480, 2.0 / 480, VIP_EXCESS_PER_SHIFT / 480,
      SELF_CREATED_VIP_EXCESS_PER_SHIFT / 480};
  private static final int SELF_CREATED_EXCESS = 1;
  private static final int VIP_EXCESS = 2;
  private static final int SELF_CREATED_VIP_EXCESS = 3;
  private static final int[] EXCESS_COUNTER = {UNEXPLAINED, SELF_CREATED, UNEXPLAINED_HIGH, SELF_CREATED_HIGH};
  /** The accumulating signals' readings; the third is one of {@link Signal#HIGH_VALUE}'s (the strongest shows). */
  private static final Signal[] EXCESS_SIGNAL = {Signal.NO_TICKET_EXCESS, Signal.SELF_CREATED_EXCESS, Signal.HIGH_VALUE,
      Signal.SELF_CREATED_HIGH_VALUE};
  private static final double[] EXCESS_DEFAULT_PER_MINUTE = {0.2 / 480, 0.15 / 480, 0.2 * 0.03 / 480, 0.15 * 0.03 / 480};
  /**
   * Whether an accumulating signal holds its reference rate at what it was when its run began
   * (see {@link #referenceRate}): for self-created tickets, yes (a fabricator's tickets otherwise
   * teach the baseline a rate several times their honest one within two weeks of a run). For
   * customers on no ticket, no: honest break-glass comes in bursts from people whose first weeks
   * showed few, and the learnt rate catching up during the run is what keeps such a burst from a
   * suspension (held for both, the tuning seeds 1-10 had 3 false containments and a seed with
   * precision 0.75; held for self-created only, none and at least 0.9, but held without the peer
   * floor of {@link #held} it suspended two honest agents with a short history on seeds 19 and
   * 21). For VIPs on no ticket, no: it counts the same break-glass touches. For VIPs on
   * self-created tickets, yes, for the self-created tickets' reason.
   */
  private static final boolean[] HELD_REFERENCE = {false, true, false, true};
  /**
   * Whether an accumulating signal stays at zero while the person's group is in its warm-up (see
   * {@link #warmingUp}). For customers on no ticket, and the VIPs among them, yes: no one's rate is
   * learnt yet, no measure applies, and a sum made then is a sum against the priors alone. An honest
   * burst of break-glass before the desk had learnt a single day made such a sum, and it outlived the
   * warm-up: a suspension on the first event after it, in a unit test. Kept at zero, over 1,400 simulated
   * desks (alert at 9): honest alerts 157 to 133, false containments 21 to 15, slow insiders a few
   * hundredths of a record later on average. For self-created tickets, no: a run open when the warm-up ends
   * holds the days inside it back from the person's own baseline (see {@link #inHeldRun}), and an
   * agent whose heavy outbound work began with the desk then has her own outbound rate learnt at a
   * tenth for those days. Kept at zero as well, that run never opened, her three outbound tickets a day
   * were learnt in full, and the VIPs she began to pick read as what that volume allows: neither of two unit
   * fabrications was suspended within 20 days (with the run kept, days 14 and 9), and on seeds 1-600
   * fabrication took more records on 24 seeds (seed 84: 19 to 36).
   */
  private static final boolean[] QUIET_IN_WARM_UP = {true, false, true, false};
  /**
   * A desk-wide surge raises the volume a person is expected to show by the ratio of their peers'
   * rate today to their history, once the peers (the person excluded) have worked this many
   * minutes today; never by more than {@link #MAX_SURGE}, never below 1.
   */
  private static final double SURGE_MINUTES = 240;
  private static final double MAX_SURGE = 5;
  private static final double LN10 = Math.log(10);
  /**
   * For each signal, the one that reads the same counter over another span (the window's share
   * and the accumulated excess), or -1: of such a pair only the stronger counts towards the risk,
   * since the two are one piece of evidence and adding them would count it twice.
   */
  private static final int[] SAME_EVIDENCE = sameEvidence();
  private static final double NEW_DEVICE_SURPRISE = 2;
  private static final long STAFF_BITS = 40;
  private static final long TIME_MASK = (1L << STAFF_BITS) - 1;
  private static final Signal[] SIGNALS = Signal.values();
  // The shares scored (numerator, denominator, default share before any history).
  private static final int[] SHARE_K = {UNEXPLAINED, HIGH_VALUE, SENSITIVE, OFF_SHIFT, SELF_CREATED, QUICK_CLOSED,
      UNEXPLAINED_HIGH, SEARCH_MISSES, UNEXPLAINED_HIGH, SELF_CREATED};
  private static final int[] SHARE_N = {CUSTOMERS, CUSTOMERS, REVEALS, EVENTS, TICKETS, CLOSED, CUSTOMERS, SEARCHES,
      UNEXPLAINED, SELF_CREATED_ALL};
  private static final double[] SHARE_Q0 = {0.01, 0.05, 0.2, 0.02, 0.03, 0.03, 0.0005, 0.05, 0.03, 0.2};

  private final DetectionPolicy policy;
  private final Consumer<Assessment> escalations;
  private final Map<StaffId, Person> people = new HashMap<>();
  private final Map<String, Group> groups = new HashMap<>();
  private final List<Person> byIndex = new ArrayList<>();
  private final TouchTimes unexplainedBy;
  private final double[] delta = new double[COUNTERS];
  private final double shortMinutes;
  /** ln Γ of the negative binomials' usual shapes (the policy's dispersion, and four times it per item). */
  private final double logGammaDispersion;
  private final double logGammaPerItem;
  private double globalUnexplained;
  private long globalAt = Long.MIN_VALUE;
  private Person last;

  /**
   * A detector.
   *
   * @param policy thresholds and statistics settings
   * @param escalations told of every rise of a person's measure, with its explanation; it runs on
   *     the caller's thread and MUST NOT block
   */
  public Detector(DetectionPolicy policy, Consumer<Assessment> escalations) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.escalations = Objects.requireNonNull(escalations, "escalations");
    this.unexplainedBy = new TouchTimes(1 << 12, policy.longWindowMillis);
    this.shortMinutes = policy.shortWindowMillis / 60_000.0;
    this.logGammaDispersion = Tails.logGamma(policy.dispersion);
    this.logGammaPerItem = Tails.logGamma(policy.dispersion * 4);
  }

  /**
   * Registers a member of staff in their peer group. Someone observed before enrolment is placed
   * in an "unenrolled" group of their own (fail closed: no peers to hide among); enrolling twice
   * keeps the first group.
   */
  public void enrol(StaffProfile profile) {
    Objects.requireNonNull(profile, "profile");
    person(profile.id(), profile.peerGroup());
  }

  /** Reads one observation and returns the measure the policy asks for this person now. */
  public Measure observe(Observation observation) {
    Person p = person(observation.staff(), null);
    long t = observation.at().toEpochMilli();
    double minutes = advance(p, t);
    java.util.Arrays.fill(delta, 0);
    switch (observation) {
      case Observation.Touch touch -> {
        if (touch.decoy()) {
          return decoy(p, touch);
        }
        touchCounters(p, touch, t);
      }
      case Observation.Search search -> {
        delta[EVENTS] = 1;
        delta[SEARCHES] = 1;
        if (search.customersShown() == 0) {
          delta[SEARCH_MISSES] = 1;
        }
        if (p.searchHit) {
          // the previous search found someone, and the person searched again without looking at anyone
          delta[SEARCH_UNUSED] = 1;
        }
        p.searchHit = search.customersShown() > 0;
        if (!search.onShift()) {
          delta[OFF_SHIFT] = 1;
        }
      }
      case Observation.TicketFact fact -> {
        switch (fact.kind()) {
          case ASSIGNED -> delta[TICKETS] = 1;
          case CREATED_BY_SELF -> {
            delta[TICKETS] = 1;
            delta[SELF_CREATED_ALL] = 1;
            if (!fact.requesterInContact()) {
              delta[SELF_CREATED] = 1;
              p.openOwn(key(fact.requester()), t);
            }
          }
          case CLOSED -> {
            delta[CLOSED] = 1;
            if (p.openOwnCount > 0) {
              p.takeOpenOwn(key(fact.requester()), t);
            }
            if (t - fact.ticketCreatedAt().toEpochMilli() <= policy.quickCloseMillis) {
              delta[QUICK_CLOSED] = 1;
            }
          }
        }
      }
      case Observation.SessionStart session -> p.newDevice = session.newDevice() || session.newAddress();
    }
    for (int c = 0; c < COUNTERS; c++) {
      p.shortWindow[c] += delta[c];
      p.longWindow[c] += delta[c];
    }
    excess(p, 0, minutes);
    excess(p, 1, minutes);
    excess(p, 2, minutes);
    excess(p, 3, minutes);
    double risk = score(p);
    p.pend(t, delta, minutes, risk);
    Group g = p.group;
    if (g.today != p.day) {
      g.today = p.day;
      g.todayCustomers = 0;
      g.todayMinutes = 0;
    }
    g.todayCustomers += delta[CUSTOMERS];
    g.todayMinutes += minutes;
    return decide(p, risk, observation.at());
  }

  /** The measure currently held for {@code staff} ({@link Measure#NONE} for someone never seen). */
  public Measure measure(StaffId staff) {
    Person p = people.get(staff);
    return p == null ? Measure.NONE : p.held;
  }

  /**
   * The person's latest assessment with its explanation: every signal with its figures, strongest
   * first (as of their latest observation).
   */
  public Assessment assess(StaffId staff) {
    Person p = people.get(staff);
    if (p == null) {
      return new Assessment(staff, Instant.EPOCH, Measure.NONE, 0, List.of());
    }
    return assessment(p, Instant.ofEpochMilli(Math.max(p.lastAt, 0)));
  }

  /**
   * Lifts a suspension (the caller has checked that a security analyst asked, with a reason) and
   * forgets the windows that led to it; the person's baseline is kept.
   */
  public void restore(StaffId staff) {
    Person p = people.get(staff);
    if (p == null) {
      return;
    }
    p.held = Measure.NONE;
    p.risk = 0;
    java.util.Arrays.fill(p.shortWindow, 0);
    java.util.Arrays.fill(p.longWindow, 0);
    java.util.Arrays.fill(p.surprise, 0);
    java.util.Arrays.fill(p.cusum, 0);
    java.util.Arrays.fill(p.runCount, 0);
    java.util.Arrays.fill(p.runMinutes, 0);
    java.util.Arrays.fill(p.runRate, Double.NaN);
    p.openOwnCount = 0;
    java.util.Arrays.fill(p.openOwnAt, Long.MIN_VALUE);
    p.searchHit = false;
  }

  private Person person(StaffId id, String groupKey) {
    Person p = last;
    if (p != null && p.id.equals(id)) {
      return p;
    }
    p = people.get(id);
    if (p == null) {
      String key = groupKey != null ? groupKey : "unenrolled|" + id.value();
      Group g = groups.computeIfAbsent(key, k -> new Group());
      p = new Person(id, byIndex.size(), g, policy.noveltyMillis);
      g.members++;
      people.put(id, p);
      byIndex.add(p);
    }
    last = p;
    return p;
  }

  /**
   * Moves the person's pending days older than the learning lag into their baseline and their
   * group's: a quiet day fully; a risky day (its highest risk at least {@code learnBelow} of the
   * alert threshold) at a tenth into both; a day whose counts are unusual only for the person (a
   * share at p < 0.01 against their own baseline, see {@link #unusualDay}) at a tenth into theirs
   * and fully into their group's if it has at least {@link #TEACHING_GROUP} members. The lag means
   * an insider cannot teach their baseline what they started doing this week; the tenth means a
   * person whose real work changed is learnt in the end. An unusual day says the person changed,
   * not that the desk did: held back from the group as well, the days on which people whose history
   * held little of something did it reached the group at a tenth, and the peers' prior (every
   * member's, and the floor of every day test) rested on the desk's quiet days. A day from before a
   * held run began also updates that run's reference (see {@link #referenceRate}).
   */
  private void learnDaysBefore(Person p, long day) {
    for (int b = 0; b < LAG_DAYS + 1; b++) {
      if (p.pendingDay[b] != Long.MIN_VALUE && p.pendingDay[b] <= day - LAG_DAYS) {
        double[] pend = p.pending[b];
        double minutes = p.pendingMinutes[b];
        boolean learning = warmingUp(p.group);
        boolean risky = !learning && p.pendingRisk[b] >= policy.learnBelow * policy.alert;
        boolean unusual = !learning && !risky && unusualDay(p, pend);
        double pooled = risky || unusual && p.group.members < TEACHING_GROUP ? UNUSUAL_WEIGHT : 1;
        // An unusual day, and a day inside the person's own open run, are held back from their
        // baseline only: each is a judgement of this person's change, not of their peers'.
        double own = risky || unusual || !learning && inHeldRun(p, p.pendingDay[b]) ? UNUSUAL_WEIGHT : 1;
        for (int c = 0; c < COUNTERS; c++) {
          p.history[c] += own * pend[c];
          p.group.history[c] += pooled * pend[c];
          pend[c] = 0;
        }
        p.exposure += own * minutes;
        p.group.exposure += pooled * minutes;
        p.group.learntMinutes += minutes;
        for (int e = 0; e < EXCESS_COUNTER.length; e++) {
          if (HELD_REFERENCE[e] && p.cusum[e] > 0 && p.pendingDay[b] < p.runStartDay[e]) {
            // A day from before the run began arrives with the learning lag: it is the person's
            // behaviour before the change under test, so the held reference takes it in.
            p.runRate[e] = ownRateBound(p, e);
          }
        }
        p.pendingMinutes[b] = 0;
        p.pendingRisk[b] = 0;
        p.pendingDay[b] = Long.MIN_VALUE;
      }
    }
  }

  /**
   * Whether {@code day} falls inside the open run of the self-created tickets' accumulating signal
   * and that run is already evidence (its surprise at least {@link #COUNTED}, p < 0.01 by Ville's
   * inequality, as a day's unusual share). The run's start is the CUSUM's estimate of when the
   * change began, and what the person did since is the evidence under test: its reference is held
   * for that reason, but the run's first days, before its sum counted and while one day's shares
   * looked ordinary (three fabricated tickets among sixty), were learnt fully a week late and raised
   * the baseline the window's share is judged against (seed 533: the self-created share's own
   * baseline 0.011 -> 0.014 during the run). Such a day is learnt at a tenth, as an unusual day;
   * once the run ends (its sum back to zero) later days are learnt as before. Not the VIPs' run:
   * one honest VIP starts it and it lasts for weeks, so its start says nothing of when a change began.
   */
  private boolean inHeldRun(Person p, long day) {
    return p.cusum[SELF_CREATED_EXCESS] >= COUNTED * LN10 && day >= p.runStartDay[SELF_CREATED_EXCESS];
  }

  /**
   * Whether one day's counts are unusual for the person's baseline on any share (p < 0.01): such a
   * day is learnt at a tenth even when no window noticed it, so that an insider who starts slowly
   * does not teach their baseline their new habit before the long window has caught up with them.
   */
  private boolean unusualDay(Person p, double[] day) {
    for (int i = 0; i < SHARE_K.length; i++) {
      Group g = p.group;
      double peer = peerRatio(g, SHARE_K[i], SHARE_N[i], SHARE_Q0[i]);
      double q = Math.max(expectedShare(p, i), peer);
      double k = day[SHARE_K[i]];
      if (k >= 1 && Tails.binomialUpper(k, day[SHARE_N[i]], q) >= COUNTED) {
        return true;
      }
    }
    return false;
  }

  /**
   * The share the person is expected to show of scored share {@code which}: their posterior share
   * (shrunk to their peers'), but for the mix of their own tickets (share 9) never below what their
   * own history shows. How many of the tickets a person creates are for customers not in contact is
   * a habit of their work that differs between people (a desk's proactive outreach is all such
   * tickets), and a binomial near 1 is unforgiving: judged against a prior shrunk towards the
   * peers, a person whose outbound tickets are all unsolicited would read as a change of mix
   * every day. A change of their own mix is what the reading is for.
   */
  private double expectedShare(Person p, int which) {
    double q = posteriorShare(p, SHARE_K[which], SHARE_N[which], SHARE_Q0[which]);
    if (which == 9 && p.history[SELF_CREATED_ALL] > 0) {
      return Math.min(Math.max(q, p.history[SELF_CREATED] / p.history[SELF_CREATED_ALL]), 0.999);
    }
    return q;
  }

  /**
   * The share of customers on no ticket a person's two-week window is judged against: the beta
   * posterior's mean plus one standard deviation (shrunk to the peers' share), as the accumulated
   * excess of the same customers is judged against its rate's (see {@link #ownRateBound}). Over a
   * window of {@code n} customers the count's spread is not a binomial's at the posterior mean: the
   * person's own share is itself uncertain, and the predictive (beta-binomial) variance is the
   * binomial's times {@code 1 + (n - 1) / (A + 1)}, where {@code A} is the history plus the prior
   * (about 1.5-3 for a two-week window of several hundred customers, about 1 for the 15-minute
   * window, which keeps the mean). Honest break-glass rates differ several-fold between people, and
   * a person whose first learnt days held none has a posterior mean well below the peers' that says
   * little: judged at that mean, the first honest burst of their second week read as a change
   * (53 of the honest desk's 112 false alerts on seeds 1-600, 43 of those in days 8-12).
   */
  private double shareBound(Person p, int which) {
    return posteriorShare(p, SHARE_K[which], SHARE_N[which], SHARE_Q0[which], true);
  }

  private double posteriorShare(Person p, int k, int n, double q0) {
    return posteriorShare(p, k, n, q0, false);
  }

  /** The person's beta posterior share of counter {@code k} among {@code n} (shrunk to the peers'): its mean, or its mean plus one standard deviation. */
  private double posteriorShare(Person p, int k, int n, double q0, boolean upper) {
    double alpha = p.history[k] + policy.priorCustomers * peerRatio(p.group, k, n, q0);
    double q = (upper ? alpha + Math.sqrt(alpha) : alpha) / (p.history[n] + policy.priorCustomers);
    return Math.min(Math.max(q, 1e-4), 0.999);
  }

  /** The peer group's ratio of counter {@code k} to counter {@code n} (a share, or a count per item), shrunk towards {@code q0} as if 50 more of {@code n} had been seen at it. */
  private static double peerRatio(Group g, int k, int n, double q0) {
    return (g.history[k] + 50 * q0) / (g.history[n] + 50);
  }

  /** Decays the person's windows to {@code t}; returns the active minutes that passed. */
  private double advance(Person p, long t) {
    long day = Math.floorDiv(t, DAY_MILLIS);
    if (day != p.day) {
      learnDaysBefore(p, day);
      p.day = day;
    }
    if (p.lastAt == Long.MIN_VALUE) {
      p.lastAt = t;
      return 0;
    }
    long dt = t - p.lastAt;
    if (dt <= 0) {
      return 0; // late or simultaneous: counted at the newest time seen, never decayed backwards
    }
    double fs = Math.exp(-(double) dt / policy.shortWindowMillis);
    double fl = Math.exp(-(double) dt / policy.longWindowMillis);
    for (int c = 0; c < COUNTERS; c++) {
      p.shortWindow[c] *= fs;
      p.longWindow[c] *= fl;
    }
    double minutes = Math.min(dt, MAX_GAP_MILLIS) / 60_000.0;
    p.activeMinutes += minutes;
    p.lastAt = t;
    return minutes;
  }

  private void touchCounters(Person p, Observation.Touch touch, long t) {
    delta[EVENTS] = 1;
    p.searchHit = false; // a look after a search: the search was for work
    if (!touch.onShift()) {
      delta[OFF_SHIFT] = 1;
    }
    if (touch.basis() == Observation.Basis.CASE) {
      return; // an approved case lists its customers and its fields: counted as activity only
    }
    if (touch.reveal()) {
      delta[REVEALS] = 1;
      if (touch.mostSensitive().compareTo(Classification.RESTRICTED) >= 0) {
        delta[SENSITIVE] = 1;
      }
    }
    long key = key(touch.customer());
    if (p.openOwnCount > 0 && touch.basis() == Observation.Basis.OWN_TICKET && p.takeOpenOwn(key, t) && touch.highValue()) {
      // the first look at the customer of a ticket the person created for someone not in contact
      delta[SELF_CREATED_HIGH] = 1;
    }
    long seen = p.seen.put(key, t, t, v -> v);
    if (seen != TouchTimes.ABSENT && t - seen <= policy.noveltyMillis) {
      return;
    }
    delta[CUSTOMERS] = 1;
    if (touch.highValue()) {
      delta[HIGH_VALUE] = 1;
    }
    if (touch.basis().unexplained()) {
      delta[UNEXPLAINED] = 1;
      if (touch.highValue()) {
        delta[UNEXPLAINED_HIGH] = 1;
      }
      unexplained(p, key, t);
    }
  }

  /**
   * Advances one accumulating signal: a one-sided CUSUM of the log-likelihood ratio between "the
   * person's own rate plus {@link #EXCESS_PER_MINUTE}" and "their own rate" (a Poisson process per
   * active minute). Each counted event adds {@code ln(1 + excess / own)}, each active minute takes
   * away {@code excess}; the sum never goes below zero, so honest quiet days pull it back to zero
   * while a steady small excess climbs by a few units a day. Its surprise is the sum in base 10:
   * when the own rate is right, each time the sum starts from zero the chance that it ever reaches
   * {@code h} is at most {@code 10^-h} (Ville's inequality for the likelihood-ratio martingale).
   */
  private void excess(Person p, int which, double minutes) {
    if (QUIET_IN_WARM_UP[which] && warmingUp(p.group)) {
      endRun(p, which);
      return;
    }
    double k = delta[EXCESS_COUNTER[which]];
    double excess = EXCESS_PER_MINUTE[which];
    boolean starting = p.cusum[which] <= 0;
    double s = p.cusum[which] - excess * minutes;
    if (k > 0) {
      double reference = referenceRate(p, which);
      if (which == SELF_CREATED_EXCESS || which == SELF_CREATED_VIP_EXCESS) {
        // Outbound tickets are a part of the ticket load: on a desk-wide surge day the person's
        // peers handle several times their usual tickets, and so does an honest agent's outbound work.
        reference *= surge(p, peerRate(p.group, CUSTOMERS, 0.1));
      }
      s += k * Math.log1p(excess / reference);
    }
    if (s > 0 && starting) {
      p.runStartDay[which] = p.day;
    }
    if (s <= 0) {
      endRun(p, which);
    } else {
      p.cusum[which] = s;
      p.runCount[which] += k;
      p.runMinutes[which] += minutes;
    }
  }

  private static void endRun(Person p, int which) {
    p.cusum[which] = 0;
    p.runCount[which] = 0;
    p.runMinutes[which] = 0;
    p.runRate[which] = Double.NaN;
  }

  /** Whether the group has learnt less than its warm-up: no measure applies, and its members' baselines are the priors alone. */
  private boolean warmingUp(Group g) {
    return g.learntMinutes < policy.warmUpMinutes * g.members;
  }

  /**
   * The rate an accumulating signal judges against: the person's own rate bound, but never more
   * than it was when the current run began. The run's start is the CUSUM's estimate of when the
   * change began; what the person did since is the evidence under test, and the week-late learning
   * (even at a tenth) would otherwise let a slow insider raise the very rate their excess is
   * measured against while the sum is still climbing. Only where {@link #HELD_REFERENCE} says so,
   * and never below the peers' rate (see {@link #held}).
   */
  private double referenceRate(Person p, int which) {
    double own = ownRateBound(p, which);
    double atStart = p.runRate[which];
    if (!HELD_REFERENCE[which] || p.cusum[which] <= 0 || Double.isNaN(atStart)) {
      p.runRate[which] = own;
      return own;
    }
    return held(p, which, own);
  }

  /**
   * A held reference: the lower of the own rate now and when the run began, but never below the
   * peers' rate: learning during the run may not raise the reference above what the person had,
   * yet a person whose short history understated their rate (below their peers') still catches up
   * with their peers, as an honest agent whose outbound work only starts to show does.
   */
  private double held(Person p, int which, double own) {
    return Math.min(own, Math.max(p.runRate[which], peerExcessRate(p, which)));
  }

  /**
   * The peer group's rate per active minute of an accumulating signal's counter. For VIPs on
   * self-created tickets, never below what outbound work at the peers' rate reaches at the
   * customers' VIP share: honest outbound work picks its customers by their needs, so its VIPs
   * come at the customers' base rate, and a group's own count of them is too rare an event to
   * estimate (a handful in months; without this floor an honest agent who happened on three VIPs
   * in a week was judged against a rate near zero, as surely as a fabricator).
   */
  private double peerExcessRate(Person p, int which) {
    Group g = p.group;
    double rate = (g.history[EXCESS_COUNTER[which]] + 60 * EXCESS_DEFAULT_PER_MINUTE[which]) / (g.exposure + 60);
    if (which != SELF_CREATED_VIP_EXCESS) {
      return rate;
    }
    return Math.max(rate, peerExcessRate(p, SELF_CREATED_EXCESS) * customersVipShare(p));
  }

  /** The share of VIP and high-balance customers among those the person's work reaches: their group's or their own, the higher. */
  private double customersVipShare(Person p) {
    double peerShare = peerRatio(p.group, HIGH_VALUE, CUSTOMERS, SHARE_Q0[1]);
    return Math.max(peerShare, posteriorShare(p, HIGH_VALUE, CUSTOMERS, SHARE_Q0[1]));
  }

  /**
   * The person's own rate per active minute, as the gamma posterior's mean plus one standard
   * deviation (shrunk to their peers' rate): an honest person with little history is not judged
   * against a rate their short history happened to understate.
   */
  private double ownRateBound(Person p, int which) {
    double alpha = p.history[EXCESS_COUNTER[which]] + policy.priorMinutes * peerExcessRate(p, which);
    double beta = p.exposure + policy.priorMinutes;
    double bound = (alpha + Math.sqrt(alpha)) / beta;
    if (which != SELF_CREATED_VIP_EXCESS) {
      return bound;
    }
    // A rare mark of a common item: never more than the rate of the person's own tickets for
    // customers not in contact (well estimated) times the share of them that were VIPs, shrunk to
    // the customers' VIP share as if 200 such tickets had been seen at it. Counted alone, one honest
    // VIP in the person's first fortnight made a posterior of a handful of events whose mean plus one
    // standard deviation was 10-30 times their peers' rate, and the VIPs a fabricator then picked
    // weighed little for the rest of the month.
    double share = (p.history[SELF_CREATED_HIGH] + policy.priorCustomers * customersVipShare(p))
        / (p.history[SELF_CREATED] + policy.priorCustomers);
    return Math.max(Math.min(bound, ownRateBound(p, SELF_CREATED_EXCESS) * share), peerExcessRate(p, which));
  }

  /**
   * How much busier than usual the person's peers are today (the person excluded), 1 when not or
   * not known yet: a surge day of the whole desk is no sign of one person's misuse.
   */
  private double surge(Person p, double peerRate) {
    Group g = p.group;
    if (g.today != p.day) {
      return 1;
    }
    int b = (int) Math.floorMod(p.day, (long) (LAG_DAYS + 1));
    boolean mine = p.pendingDay[b] == p.day;
    double minutes = g.todayMinutes - (mine ? p.pendingMinutes[b] : 0);
    if (minutes < SURGE_MINUTES) {
      return 1;
    }
    double rate = (g.todayCustomers - (mine ? p.pending[b][CUSTOMERS] : 0)) / minutes;
    return Math.min(Math.max(rate / peerRate, 1), MAX_SURGE);
  }

  private void unexplained(Person p, long key, long t) {
    long minutes = t / 60_000L;
    long before = unexplainedBy.get(key);
    if (before != TouchTimes.ABSENT) {
      int other = (int) (before >>> STAFF_BITS) - 1;
      long at = before & TIME_MASK;
      if (other != p.index && (minutes - at) * 60_000L <= policy.longWindowMillis) {
        delta[SHARED] += 1;
        Person o = byIndex.get(other);
        p.partner = o.index;
        o.partner = p.index;
        advance(o, Math.max(t, o.lastAt));
        o.shortWindow[SHARED] += 1;
        o.longWindow[SHARED] += 1;
      }
    }
    unexplainedBy.put(key, ((long) (p.index + 1) << STAFF_BITS) | (minutes & TIME_MASK), t,
        v -> (v & TIME_MASK) * 60_000L);
    if (globalAt != Long.MIN_VALUE && t > globalAt) {
      globalUnexplained *= Math.exp(-(double) (t - globalAt) / policy.longWindowMillis);
    }
    globalAt = Math.max(globalAt, t);
    globalUnexplained += 1;
  }

  private Measure decoy(Person p, Observation.Touch touch) {
    p.surprise[Signal.DECOY.ordinal()] = Tails.MAX_SURPRISE;
    p.value[Signal.DECOY.ordinal()] = 1;
    p.risk = Tails.MAX_SURPRISE;
    if (p.held != Measure.SUSPEND) {
      p.held = Measure.SUSPEND;
      escalations.accept(assessment(p, touch.at()));
    }
    return Measure.SUSPEND;
  }

  private Measure decide(Person p, double risk, Instant at) {
    p.risk = risk;
    if (p.held == Measure.SUSPEND) {
      return Measure.SUSPEND;
    }
    Measure now = warmingUp(p.group) ? Measure.NONE : policy.measureFor(risk);
    if (now.compareTo(p.held) > 0) {
      p.held = now;
      escalations.accept(assessment(p, at));
      if (now == Measure.SUSPEND && p.surprise[Signal.COLLUSION.ordinal()] >= COUNTED && p.partner >= 0) {
        // Suspended with collusion among the reasons: the partner touched the same unexplained
        // customers and is contained with them, or the pair's other half carries on alone.
        Person o = byIndex.get(p.partner);
        if (o.held != Measure.SUSPEND) {
          o.held = Measure.SUSPEND;
          escalations.accept(assessment(o, at));
        }
      }
    } else if (now.compareTo(p.held) < 0 && risk < 0.5 * policy.threshold(p.held)) {
      p.held = now;
    }
    return p.held;
  }

  // ---- scoring ----

  private double score(Person p) {
    double[] s = p.shortWindow;
    double[] l = p.longWindow;
    double m = policy.priorCustomers;

    // Volume and search: rates per active minute, gamma posterior shrunk to the peer rate.
    rate(p, Signal.VOLUME, s[CUSTOMERS], CUSTOMERS, 0.1);
    rate(p, Signal.SEARCH, s[SEARCHES], SEARCHES, 0.02);

    // Shares, on both windows; the stronger counts.
    share(p, Signal.NO_TICKET, 0);
    share(p, Signal.HIGH_VALUE, 1);
    int hv = Signal.HIGH_VALUE.ordinal();
    p.save(hv);
    share(p, Signal.HIGH_VALUE, 6); // high-value customers on no ticket among all customers: the sharper skew
    p.keepStronger(hv);
    p.save(hv);
    // High-value customers among the customers on no ticket: whom the person reaches for when they
    // reach beyond their work. Honest break-glass follows whoever needs help, so VIPs are about as
    // rare among those customers as among all, however often the person breaks the glass; someone
    // picking customers worth leaking is not. Unlike the two readings above, a high honest
    // break-glass rate does not hide it.
    share(p, Signal.HIGH_VALUE, 8);
    p.keepStronger(hv);
    share(p, Signal.SENSITIVE_MIX, 2);
    share(p, Signal.OFF_SHIFT, 3);
    share(p, Signal.SELF_CREATED, 4);
    share(p, Signal.QUICK_CLOSE, 5);
    // The mix of the person's own tickets: how many are for customers not in contact. Evidence apart
    // from how many they create (a fabricator whose honest outbound work hides the count changes the mix).
    share(p, Signal.SELF_CREATED_UNSOLICITED, 9);
    // Searches that found nobody: as a share of the searches and as a rate of their own (an honest
    // agent's misses are rare typos, so a few in a window are telling even when many guesses hit);
    // the stronger reading counts.
    int sm = Signal.SEARCH_MISSES.ordinal();
    rate(p, Signal.SEARCH_MISSES, s[SEARCH_MISSES], SEARCH_MISSES, 0.02 * SHARE_Q0[7]);
    p.save(sm);
    share(p, Signal.SEARCH_MISSES, 7);
    p.keepStronger(sm);
    // Searches that found someone the person then did not look at: an honest look-up is followed by
    // the customer's record (that is what it was for); enumeration takes the results page and moves
    // on. A rate of their own, like the misses (an honest agent's are rare), and evidence apart from
    // both the search rate and the misses: guesses that happen to hit still leave their hits unused.
    rate(p, Signal.SEARCH_UNUSED, s[SEARCH_UNUSED], SEARCH_UNUSED, 0.02 * SHARE_Q0[7]);

    // Per-item rates: customers per ticket, reveals per customer (long window).
    perItem(p, Signal.LOOKUPS_PER_TICKET, CUSTOMERS, TICKETS, 1.5, m);
    perItem(p, Signal.REVEAL_RATE, REVEALS, CUSTOMERS, 0.15, m);

    // Collusion: shared unexplained customers against the chance of meeting by accident.
    int c = Signal.COLLUSION.ordinal();
    double shared = l[SHARED];
    double chance = l[UNEXPLAINED] * globalUnexplained / policy.population + 1e-3;
    p.value[c] = shared;
    p.own[c] = chance;
    p.peer[c] = chance;
    p.surprise[c] = shared >= 2 ? Tails.poissonUpper(shared, chance) : 0;

    for (int w = 0; w < EXCESS_SIGNAL.length; w++) {
      int e = EXCESS_SIGNAL[w].ordinal();
      double surprise = p.cusum[w] / LN10;
      if (w == VIP_EXCESS) {
        // one of high-value's readings: shown (and counted) only when the strongest of them
        p.vipExcessShown = surprise > p.surprise[e];
        if (!p.vipExcessShown) {
          continue;
        }
      }
      if (w == SELF_CREATED_VIP_EXCESS && p.runCount[w] < MIN_SELF_CREATED_VIPS) {
        surprise = 0;
      }
      p.value[e] = p.runCount[w];
      p.surprise[e] = surprise;
    }

    int d = Signal.NEW_DEVICE.ordinal();
    p.value[d] = p.newDevice ? 1 : 0;
    p.surprise[d] = p.newDevice ? NEW_DEVICE_SURPRISE : 0;
    int o = Signal.OFF_SHIFT.ordinal();
    p.surprise[o] = Math.min(p.surprise[o], CONTEXT_CAP);

    // Substantive evidence: the strongest signal plus half of each other counted one. Context
    // amplifies evidence of misuse and is never an alert on its own: off-shift work adds half its
    // surprise but never more than half the substantive risk, and a new device or address
    // multiplies the whole by 1.25 (once: its reading is shown, not added).
    // The VIPs on the person's self-created tickets and the count of those tickets are two parts of
    // one likelihood ratio (how many tickets, and whom each is for): counted together in full.
    int scv = Signal.SELF_CREATED_HIGH_VALUE.ordinal();
    double vips = p.surprise[scv];
    boolean joined = vips >= COUNTED
        && Math.max(p.surprise[Signal.SELF_CREATED.ordinal()], p.surprise[Signal.SELF_CREATED_EXCESS.ordinal()]) >= COUNTED;
    double top = 0;
    double sum = 0;
    for (int i = 0; i < SIGNALS.length; i++) {
      double x = p.surprise[i];
      int twin = SAME_EVIDENCE[i];
      if (twin >= 0 && (p.surprise[twin] > x || p.surprise[twin] == x && twin < i)) {
        continue;
      }
      if (joined) {
        if (i == scv) {
          continue;
        }
        if (i == Signal.SELF_CREATED.ordinal() || i == Signal.SELF_CREATED_EXCESS.ordinal()) {
          x += vips;
        }
      }
      if (x >= COUNTED && i != o && i != d) {
        sum += x;
        top = Math.max(top, x);
      }
    }
    double substantive = top + 0.5 * (sum - top);
    double context = 0.5 * (p.surprise[o] >= COUNTED ? p.surprise[o] : 0);
    double risk = substantive + Math.min(context, 0.5 * substantive);
    return p.newDevice ? risk * NEW_DEVICE_FACTOR : risk;
  }

  private static int[] sameEvidence() {
    int[] twin = new int[Signal.values().length];
    java.util.Arrays.fill(twin, -1);
    for (Signal[] pair : new Signal[][] {{Signal.NO_TICKET, Signal.NO_TICKET_EXCESS},
        {Signal.SELF_CREATED, Signal.SELF_CREATED_EXCESS}}) {
      twin[pair[0].ordinal()] = pair[1].ordinal();
      twin[pair[1].ordinal()] = pair[0].ordinal();
    }
    return twin;
  }

  /** The peer group's rate per active minute of a counter (a prior of an hour at {@code defaultPerMinute}). */
  private static double peerRate(Group g, int counter, double defaultPerMinute) {
    return (g.history[counter] + 60 * defaultPerMinute) / (g.exposure + 60);
  }

  private void rate(Person p, Signal signal, double count, int counter, double defaultPerMinute) {
    Group g = p.group;
    double peerRate = peerRate(g, counter, defaultPerMinute);
    double alpha = p.history[counter] + policy.priorMinutes * peerRate;
    double beta = p.exposure + policy.priorMinutes;
    double ownRate = alpha / beta;
    double mean = ownRate * shortMinutes * (counter == CUSTOMERS ? surge(p, peerRate) : 1);
    int i = signal.ordinal();
    p.value[i] = count;
    p.own[i] = mean;
    p.peer[i] = peerRate * shortMinutes;
    double r = alpha < policy.dispersion ? alpha : policy.dispersion;
    double sd = Math.sqrt(mean + mean * mean / r);
    p.surprise[i] = count >= 3 && count > mean + 3 * sd + 1
        ? Tails.negativeBinomialUpper(count, mean, r, r == policy.dispersion ? logGammaDispersion : Tails.logGamma(r)) : 0;
  }

  private void share(Person p, Signal signal, int which) {
    int k = SHARE_K[which];
    int n = SHARE_N[which];
    Group g = p.group;
    double peer = peerRatio(g, k, n, SHARE_Q0[which]);
    double q = expectedShare(p, which);
    double a = binomial(p.shortWindow[k], p.shortWindow[n], q);
    // Misses among searches are read on the short window only: enumeration is a burst, and over
    // two weeks an honest agent's few typos drift by chance into shares as telling as a burst's.
    double b = k == SEARCH_MISSES ? 0 : binomial(p.longWindow[k], p.longWindow[n], q);
    double ql = q;
    if (which == 0 && b > 0) {
      // the bound is never below the mean: a count unremarkable at the mean is so at the bound
      ql = shareBound(p, which);
      b = binomial(p.longWindow[k], p.longWindow[n], ql);
    }
    int i = signal.ordinal();
    double[] w = a >= b ? p.shortWindow : p.longWindow;
    p.value[i] = w[n] > 0 ? w[k] / w[n] : 0;
    p.own[i] = a >= b ? q : ql;
    p.peer[i] = peer;
    p.surprise[i] = Math.max(a, b);
  }

  private static double binomial(double k, double n, double q) {
    if (k < 2) {
      return 0;
    }
    double mean = n * q;
    if (k <= mean + 3 * Math.sqrt(mean * (1 - q)) + 1) {
      return 0;
    }
    return Tails.binomialUpper(k, n, q);
  }

  private void perItem(Person p, Signal signal, int counter, int per, double defaultRatio, double m) {
    Group g = p.group;
    double peer = peerRatio(g, counter, per, defaultRatio);
    double ratio = (p.history[counter] + m * peer) / (p.history[per] + m);
    double x = p.longWindow[counter];
    double mean = Math.max(p.longWindow[per], 1) * ratio;
    int i = signal.ordinal();
    p.value[i] = x;
    p.own[i] = mean;
    p.peer[i] = Math.max(p.longWindow[per], 1) * peer;
    double r = policy.dispersion * 4;
    double sd = Math.sqrt(mean + mean * mean / r);
    p.surprise[i] = x >= 3 && x > mean + 3 * sd + 2 ? Tails.negativeBinomialUpper(x, mean, r, logGammaPerItem) : 0;
  }

  private Assessment assessment(Person p, Instant at) {
    for (int w = 0; w < EXCESS_SIGNAL.length; w++) {
      int e = EXCESS_SIGNAL[w].ordinal();
      if (w == VIP_EXCESS && !p.vipExcessShown) {
        continue;
      }
      double own = ownRateBound(p, w);
      boolean held = HELD_REFERENCE[w] && p.cusum[w] > 0 && !Double.isNaN(p.runRate[w]);
      p.own[e] = (held ? held(p, w, own) : own) * p.runMinutes[w];
      p.peer[e] = peerExcessRate(p, w) * p.runMinutes[w];
    }
    List<Reading> readings = new ArrayList<>();
    for (Signal s : SIGNALS) {
      int i = s.ordinal();
      if (p.surprise[i] > 0 || p.value[i] > 0) {
        readings.add(new Reading(s, p.value[i], p.own[i], p.peer[i], p.surprise[i]));
      }
    }
    readings.sort(Comparator.comparingDouble(Reading::surprise).reversed().thenComparing(Reading::signal));
    return new Assessment(p.id, at, p.held, p.risk, readings);
  }

  /** A stable 64-bit key of a customer id (its string hash spread with its length). */
  static long key(CustomerId customer) {
    String v = customer.value();
    return ((long) v.hashCode() << 32) ^ (v.length() * 0x9E3779B97F4A7C15L) ^ v.charAt(v.length() - 1);
  }

  /** A peer group's pooled history. */
  private static final class Group {
    final double[] history = new double[COUNTERS];
    double exposure;
    double learntMinutes;
    int members;
    long today = Long.MIN_VALUE;
    double todayCustomers;
    double todayMinutes;
  }

  /** One member of staff's state. */
  private static final class Person {
    final StaffId id;
    final int index;
    final Group group;
    final double[] shortWindow = new double[COUNTERS];
    final double[] longWindow = new double[COUNTERS];
    final double[] history = new double[COUNTERS];
    final double[] surprise = new double[SIGNALS.length];
    final double[] value = new double[SIGNALS.length];
    final double[] own = new double[SIGNALS.length];
    final double[] peer = new double[SIGNALS.length];
    /** One signal's reading (value, own, peer, surprise) noted by {@link #save}. */
    private final double[] saved = new double[4];

    /** Notes signal {@code i}'s reading, so that {@link #keepStronger} can restore it after another reading. */
    void save(int i) {
      saved[0] = value[i];
      saved[1] = own[i];
      saved[2] = peer[i];
      saved[3] = surprise[i];
    }

    /** Restores the reading of signal {@code i} noted by {@link #save} when it is the more surprising. */
    void keepStronger(int i) {
      if (saved[3] > surprise[i]) {
        value[i] = saved[0];
        own[i] = saved[1];
        peer[i] = saved[2];
        surprise[i] = saved[3];
      }
    }
    final TouchTimes seen;
    double activeMinutes;
    double exposure;
    long lastAt = Long.MIN_VALUE;
    long day = Long.MIN_VALUE;
    final double[][] pending = new double[LAG_DAYS + 1][COUNTERS];
    final long[] pendingDay = new long[LAG_DAYS + 1];
    final double[] pendingMinutes = new double[LAG_DAYS + 1];
    final double[] pendingRisk = new double[LAG_DAYS + 1];
    final double[] cusum = new double[EXCESS_COUNTER.length];
    final double[] runCount = new double[EXCESS_COUNTER.length];
    final double[] runMinutes = new double[EXCESS_COUNTER.length];
    /**
     * The reference rate of each accumulating signal when its current run began, updated as the
     * days before that run are learnt (NaN: no run).
     */
    final double[] runRate = new double[EXCESS_COUNTER.length];
    /** The day each accumulating signal's current run began. */
    final long[] runStartDay = new long[EXCESS_COUNTER.length];
    /** Customers of the person's latest self-created tickets (not in contact) not yet looked at, and when each was created. */
    final long[] openOwnKey = new long[OPEN_OWN];
    final long[] openOwnAt = new long[OPEN_OWN];
    int openOwnCount;
    int openOwnNext;
    boolean newDevice;
    /** Whether the person's latest search found someone and no look at a customer followed it yet. */
    boolean searchHit;
    /** Whether high-value's reading is the accumulated VIP excess (not a window share). */
    boolean vipExcessShown;
    int partner = -1;
    Measure held = Measure.NONE;
    double risk;

    Person(StaffId id, int index, Group group, long noveltyMillis) {
      this.id = id;
      this.index = index;
      this.group = group;
      this.seen = new TouchTimes(64, noveltyMillis);
      java.util.Arrays.fill(pendingDay, Long.MIN_VALUE);
      java.util.Arrays.fill(runRate, Double.NaN);
      java.util.Arrays.fill(openOwnAt, Long.MIN_VALUE);
    }

    /** Remembers a self-created ticket's customer until their first look (the oldest forgotten when full). */
    void openOwn(long key, long t) {
      int i = openOwnNext;
      openOwnNext = (i + 1) % OPEN_OWN;
      if (openOwnAt[i] == Long.MIN_VALUE) {
        openOwnCount++;
      }
      openOwnKey[i] = key;
      openOwnAt[i] = t;
    }

    /**
     * Forgets the self-created ticket of this customer, if one is remembered from the last day;
     * answers whether one was.
     */
    boolean takeOpenOwn(long key, long t) {
      for (int i = 0; i < OPEN_OWN; i++) {
        if (openOwnAt[i] != Long.MIN_VALUE && openOwnKey[i] == key) {
          boolean recent = t - openOwnAt[i] <= DAY_MILLIS;
          openOwnAt[i] = Long.MIN_VALUE;
          openOwnCount--;
          return recent;
        }
      }
      return false;
    }

    /** Adds an observation to the day it belongs to, waiting to be learnt. */
    void pend(long t, double[] delta, double minutes, double risk) {
      int b = (int) Math.floorMod(day, (long) (LAG_DAYS + 1));
      if (pendingDay[b] != day) {
        java.util.Arrays.fill(pending[b], 0); // cannot hold anything unlearnt: days older than the lag were learnt
        pendingMinutes[b] = 0;
        pendingRisk[b] = 0;
        pendingDay[b] = day;
      }
      double[] pend = pending[b];
      for (int c = 0; c < COUNTERS; c++) {
        pend[c] += delta[c];
      }
      pendingMinutes[b] += minutes;
      pendingRisk[b] = Math.max(pendingRisk[b], risk);
    }
  }
}
