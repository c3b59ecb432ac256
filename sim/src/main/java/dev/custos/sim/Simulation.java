package dev.custos.sim;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.decoy.DecoyCustomer;
import dev.custos.decoy.Decoys;
import dev.custos.detect.Assessment;
import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Detector;
import dev.custos.detect.Measure;
import dev.custos.detect.Observation;
import dev.custos.detect.Observation.Basis;
import dev.custos.detect.Observation.Search;
import dev.custos.detect.Observation.SessionStart;
import dev.custos.detect.Observation.TicketFact;
import dev.custos.detect.Observation.Touch;
import dev.custos.detect.StaffProfile;
import dev.custos.vault.Classification;
import dev.custos.vault.FieldCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * A support desk simulated in process against the detection engine: agents in teams and
 * follow-the-sun shifts working tickets from customers with heavy-tailed contact frequency, with
 * surges, fraud-case sweeps, L2 escalations, KYC reviews, overtime and break-glass, plus one
 * insider per {@link Scenario} hidden among them. Deterministic for a seed.
 *
 * <p>The detector is fed exactly what the server would feed it; containment is applied the way
 * the server applies it: a suspension ends every later access of the person (the access that
 * triggered it was already served, and counts as exposed, except a decoy's, which is refused
 * before the response), and an innocent agent suspended by mistake is restored the next day.
 * Step-up and throttle are not modelled as stopping anyone (an insider has their own second
 * factor; a throttle slows but does not stop), except that a session thief cannot pass a step-up.
 */
public final class Simulation {
  /** When every simulated desk's first day starts (a Monday). */
  public static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
  private static final FieldCatalogue CATALOGUE = FieldCatalogue.exchangeDefault();
  private static final int CUSTOMERS_PER_AGENT = 400;
  /** Attacks start after the detector has learnt the desk (its learning lags a week). */
  static final int WARM_UP_DAYS = 10;
  /** Benign agents whose daily risk is recorded for the report's chart. */
  static final int BENIGN_SAMPLE = 500;

  private final Settings settings;
  private final DetectionPolicy policy;

  /**
   * What to simulate.
   *
   * @param agents how many agents, 20 to 100,000
   * @param days how many days, 14 to 365 (attacks start after a week of baseline)
   * @param seed the seed
   */
  public record Settings(int agents, int days, long seed) {
    public Settings {
      if (agents < 20 || agents > 100_000) {
        throw new IllegalArgumentException("agents must be between 20 and 100000, was " + agents);
      }
      if (days < 21 || days > 365) {
        throw new IllegalArgumentException("days must be between 21 and 365, was " + days);
      }
    }
  }

  /** A simulation with the detector's default policy. */
  public Simulation(Settings settings) {
    this(settings, DetectionPolicy.defaults());
  }

  /** A simulation with the given detection policy. */
  public Simulation(Settings settings, DetectionPolicy policy) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** Runs the simulation; {@code progress} is told each finished day (1..days). */
  public Report run(IntConsumer progress) {
    return new Run(settings, policy, (a, attacker) -> {}).run(progress);
  }

  /**
   * Runs the simulation telling {@code trace} of every escalation and whether it was an attacker's,
   * and {@code dayTrace} (when not null) of each insider's assessment at the end of every day.
   */
  Report run(IntConsumer progress, java.util.function.BiConsumer<Assessment, Boolean> trace,
      java.util.function.Consumer<String> dayTrace) {
    Run run = new Run(settings, policy, trace);
    run.dayTrace = dayTrace;
    return run.run(progress);
  }

  /**
   * Runs the simulation telling {@code accesses} of every customer shown to a member of staff (a
   * view, a reveal, or a customer in a search's results), in time order, as the access ledger would
   * record it: what the server served, nothing after a suspension, a decoy only as a search result
   * (touching it is refused before the response).
   */
  public Report run(IntConsumer progress, java.util.function.Consumer<Seen> accesses) {
    Run run = new Run(settings, policy, (a, attacker) -> {});
    run.accesses = Objects.requireNonNull(accesses, "accesses");
    return run.run(progress);
  }

  /**
   * A customer shown to a member of staff in the simulation.
   *
   * @param at when
   * @param staff to whom
   * @param session the session: one per agent and working day, the thief's own for a stolen session
   * @param customer which customer (a decoy's id for a decoy)
   * @param kind how
   * @param attack whether the insider's attack did it (rather than their or anyone's normal work)
   * @param scenario the insider's scenario, when {@code attack}
   */
  public record Seen(Instant at, StaffId staff, String session, CustomerId customer, Kind kind, boolean attack,
      Scenario scenario) {
    /** How a customer was shown. */
    public enum Kind {
      /** A masked view. */
      VIEW,
      /** A reveal of sensitive fields. */
      REVEAL,
      /** A stub among search results. */
      SEARCH
    }
  }

  /** Runs the simulation silently. */
  public Report run() {
    return run(d -> {});
  }

  /**
   * Runs the simulation through {@code desk} instead of straight into a detector: every login,
   * ticket change, view, reveal, break-glass and search of the desk is played at its time through
   * the real access broker (module {@code cli} plays them over HTTP against Custos in process, or
   * against a running server), which decides what is shown, and whose own detector and containment
   * decide who is stopped. The simulation keeps the score: a customer counts as seen only when the
   * broker showed it.
   */
  public Report run(Desk desk, IntConsumer progress) {
    Run run = new Run(settings, policy, (a, attacker) -> {});
    run.desk = Objects.requireNonNull(desk, "desk");
    return run.run(progress);
  }

  /**
   * The desk's people (accounts, roles, teams, shifts), what a broker needs set up before the run:
   * the same for every seed of a desk size.
   */
  public List<Member> members() {
    return new Run(settings, policy, (a, attacker) -> {}).members();
  }

  /**
   * Where a simulation's desk acts when it runs through the real access broker rather than straight
   * into a detector ({@link #run(Desk, IntConsumer)}).
   */
  public interface Desk {
    /** Sets up the desk's people (accounts, teams, shifts) before the first day, which starts at {@code start}. */
    void open(List<Member> members, Instant start) throws Exception;

    /** Plays one step at its time and says what came of it. */
    Outcome act(Step step) throws Exception;

    /** Lifts the containment of an innocent agent, as a security analyst would, at {@code at}. */
    void restore(StaffId staff, Instant at) throws Exception;

    /** The alerts raised, read at the end. */
    List<RaisedAlert> alerts() throws Exception;
  }

  /**
   * One agent of the simulated desk.
   *
   * @param id the account
   * @param role their one role
   * @param team their team (the detector's peer group with role and shift)
   * @param shiftStartHour the UTC hour their 9-hour shift window starts, every day
   */
  public record Member(StaffId id, Role role, String team, int shiftStartHour) {}

  /**
   * One action of the desk, as the detector would observe it, with what the broker needs to play it.
   *
   * @param observation what the person does (its time, who, which customer, on what basis)
   * @param thief whether a session thief does it with the person's account (from another device, without their second factor)
   * @param found for a search, the customer whose e-mail is searched; empty for a guess that matches nobody
   * @param highValue whether the step's customer (touched, searched or the ticket's requester) is VIP or high-balance
   * @param sweep for the first touch of a fraud-case sweep, every customer of the case (opened and approved first); else empty
   */
  public record Step(Observation observation, boolean thief, Optional<CustomerId> found, boolean highValue,
      List<CustomerId> sweep) {
    public Step {
      Objects.requireNonNull(observation, "observation");
      Objects.requireNonNull(found, "found");
      sweep = List.copyOf(sweep);
    }
  }

  /**
   * What the broker made of a step.
   *
   * @param shown the step's customer was disclosed (a record, revealed fields, or a search match)
   * @param contained the person is suspended (found out at this step, or made so by it)
   * @param secondFactorMissing a second factor was asked for that the actor does not have (a session thief)
   */
  public record Outcome(boolean shown, boolean contained, boolean secondFactorMissing) {
    /** Shown, nothing else. */
    public static final Outcome SHOWN = new Outcome(true, false, false);
    /** Not shown (refused, not found or not played), nothing else. */
    public static final Outcome NOT_SHOWN = new Outcome(false, false, false);
  }

  /** An alert the broker's detector raised: whom, when, and whether it suspended them. */
  public record RaisedAlert(StaffId staff, Instant at, boolean suspended) {}

  /** A desk failed in a way the simulation cannot score (the server went away, a set-up step was refused). */
  public static final class DeskException extends RuntimeException {
    public DeskException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** One agent of the desk. */
  private static final class Agent {
    final int index;
    final StaffId id;
    final Role role;
    final int shiftStartHour;
    final double pace;
    final double outbound;
    final double breakGlassPerDay;
    final double linked;
    final double reveal;
    Scenario attack; // null for an honest agent
    boolean suspended;
    int restoreOnDay = -1;

    Agent(int index, StaffId id, Role role, int shiftStartHour, SplittableRandom r) {
      this.index = index;
      this.id = id;
      this.role = role;
      this.shiftStartHour = shiftStartHour;
      this.pace = Math.exp(0.25 * r.nextGaussian());
      this.outbound = r.nextDouble() * 0.06;
      this.breakGlassPerDay = -Math.log(1 - r.nextDouble()) * 0.15;
      this.linked = 0.05 + r.nextDouble() * 0.2;
      this.reveal = switch (role) {
        case SUPPORT_L1 -> 0.05 + r.nextDouble() * 0.1;
        case SUPPORT_L2 -> 0.15 + r.nextDouble() * 0.2;
        case KYC_REVIEWER -> 0.5 + r.nextDouble() * 0.3;
        default -> 0.2 + r.nextDouble() * 0.2;
      };
    }

    boolean works(int day) {
      return Math.floorMod(day + index, 7) < 5;
    }

    boolean onShift(long epochMillis) {
      long hour = Math.floorMod(epochMillis / 3_600_000L, 24);
      long rel = Math.floorMod(hour - shiftStartHour, 24);
      return rel < 9; // an 8-hour shift and the hour around it
    }
  }

  /** One event of a day, ordered by time then by sequence. */
  private record Event(long at, long seq, Agent agent, Observation observation, int attackCustomer, boolean attack,
      boolean thief, int found, List<CustomerId> sweep) {
    Event(long at, long seq, Agent agent, Observation observation, int attackCustomer, boolean attack, boolean thief) {
      this(at, seq, agent, observation, attackCustomer, attack, thief, attack ? attackCustomer : -1, List.of());
    }
  }

  /** The state of one attack. */
  private static final class Attack {
    final Scenario scenario;
    final List<Agent> agents = new ArrayList<>();
    final int startDay;
    long firstAt = Long.MIN_VALUE;
    long containedAt = Long.MIN_VALUE;
    final Set<Integer> seen = new HashSet<>();
    /** Customers the broker refused the attacker (broker mode). */
    final Set<Integer> refused = new HashSet<>();
    int afterDecoy = -1;
    boolean thiefStopped;

    Attack(Scenario scenario, int startDay) {
      this.scenario = scenario;
      this.startDay = startDay;
    }

    boolean contained() {
      return containedAt != Long.MIN_VALUE;
    }
  }

  private static final class Run {
    final Settings settings;
    final Detector detector;
    final SplittableRandom random;
    final List<Agent> agents = new ArrayList<>();
    final Map<Scenario, Attack> attacks = new EnumMap<>(Scenario.class);
    final Agent[] attackerOf;
    final int population;
    final CustomerId[] customers;
    final boolean[] vip;
    final Set<Integer> surgeDays = new HashSet<>();
    final Decoys decoys;
    final Map<StaffId, Agent> byId = new java.util.HashMap<>();
    final Map<StaffId, Measure> lastMeasure = new java.util.HashMap<>();
    int falseContainments;
    int alerts;
    int truePositiveAlerts;
    long seq;
    long now;

    final java.util.function.BiConsumer<Assessment, Boolean> trace;
    java.util.function.Consumer<Seen> accesses;
    java.util.function.Consumer<String> dayTrace;
    /** The broker the desk acts through; null when the detector is fed directly. */
    Desk desk;
    final List<RaisedAlert> raised = new ArrayList<>();
    final DetectionPolicy policy;
    /** The highest risk reported today, by agent index. */
    double[] todayPeak;
    /** The agents whose daily risk is recorded: every attacker and up to {@link #BENIGN_SAMPLE} benign agents. */
    final List<Agent> tracked = new ArrayList<>();
    final Map<Agent, List<Double>> dailyRisk = new java.util.HashMap<>();
    final List<Double> benignMedian = new ArrayList<>();
    final List<Double> benignP95 = new ArrayList<>();
    final List<Double> benignMax = new ArrayList<>();

    Run(Settings settings, DetectionPolicy policy, java.util.function.BiConsumer<Assessment, Boolean> trace) {
      this.trace = trace;
      this.policy = policy;
      this.settings = settings;
      this.random = new SplittableRandom(settings.seed());
      this.population = settings.agents() * CUSTOMERS_PER_AGENT;
      this.customers = new CustomerId[population];
      this.vip = new boolean[population];
      SplittableRandom rv = new SplittableRandom(settings.seed() ^ 0x1234_5678L);
      for (int i = 0; i < population; i++) {
        vip[i] = rv.nextInt(100) < 3;
      }
      this.detector = new Detector(policy.toBuilder().population(population).build(), this::escalated);
      this.decoys = Decoys.generate(settings.seed(), Math.max(50, settings.agents()), 3,
          n -> new CustomerId("cust-" + (n % 900_000_000L + 100_000_000L)), CATALOGUE);
      this.attackerOf = new Agent[0];
      buildDesk();
      this.todayPeak = new double[agents.size()];
      int benign = 0;
      for (Agent a : agents) {
        if (a.attack != null || benign++ < BENIGN_SAMPLE) {
          tracked.add(a);
          dailyRisk.put(a, new ArrayList<>());
        }
      }
    }

    CustomerId customer(int i) {
      CustomerId c = customers[i];
      if (c == null) {
        c = new CustomerId("c" + i);
        customers[i] = c;
      }
      return c;
    }

    void buildDesk() {
      int teams = Math.max(3, settings.agents() / 20);
      for (int i = 0; i < settings.agents(); i++) {
        int team = i % teams;
        Role role = switch (team % 10) {
          case 6, 7 -> Role.SUPPORT_L2;
          case 8 -> Role.KYC_REVIEWER;
          case 9 -> Role.FRAUD_ANALYST;
          default -> Role.SUPPORT_L1;
        };
        String[] shifts = {"apac", "emea", "amer"};
        int shift = (team / 1) % 3;
        Agent a = new Agent(i, new StaffId("agent-" + i), role, shift * 8, random.split());
        agents.add(a);
        byId.put(a.id, a);
        detector.enrol(new StaffProfile(a.id, "team-" + team, role, shifts[shift]));
      }
      for (int d = 0; d < 2; d++) {
        surgeDays.add(5 + random.nextInt(settings.days() - 5));
      }
      // One insider per scenario (two for the pair), support agents, starting after a week or more.
      int next = 0;
      for (Scenario s : Scenario.values()) {
        Attack attack = new Attack(s, WARM_UP_DAYS + random.nextInt(Math.min(5, settings.days() - WARM_UP_DAYS - 7)));
        int wanted = s == Scenario.COLLUDING_PAIR ? 2 : 1;
        while (attack.agents.size() < wanted) {
          Agent a = agents.get((next * 37 + 11) % agents.size());
          next++;
          boolean fits = a.attack == null && (s == Scenario.COLLUDING_PAIR && attack.agents.size() == 1
              ? a.role == Role.SUPPORT_L2 || a.role == Role.SUPPORT_L1 : a.role == Role.SUPPORT_L1);
          if (fits) {
            a.attack = s;
            attack.agents.add(a);
          }
        }
        attacks.put(s, attack);
      }
    }

    void escalated(Assessment a) {
      Agent who = byId.get(a.staff());
      if (who != null && a.risk() > todayPeak[who.index]) {
        todayPeak[who.index] = a.risk();
      }
      trace.accept(a, who != null && who.attack != null);
      Measure before = lastMeasure.getOrDefault(a.staff(), Measure.NONE);
      lastMeasure.put(a.staff(), a.measure());
      if (before != Measure.NONE) {
        return;
      }
      alerts++;
      Agent agent = byId.get(a.staff());
      if (agent != null && agent.attack != null) {
        Attack attack = attacks.get(agent.attack);
        if (attack.firstAt != Long.MIN_VALUE && a.at().toEpochMilli() >= attack.firstAt) {
          truePositiveAlerts++;
        }
      }
    }

    Report run(IntConsumer progress) {
      if (desk != null) {
        List<Member> members = members();
        deskCall("set up the desk", () -> {
          desk.open(members, START);
          return null;
        });
      }
      for (int day = 0; day < settings.days(); day++) {
        for (Agent a : agents) {
          if (a.restoreOnDay == day) {
            a.suspended = false;
            a.restoreOnDay = -1;
            if (desk == null) {
              detector.restore(a.id);
            } else {
              Instant at = START.plus(Duration.ofDays(day));
              deskCall("restore " + a.id.value(), () -> {
                desk.restore(a.id, at);
                return null;
              });
            }
            lastMeasure.put(a.id, Measure.NONE);
          }
        }
        List<Event> events = new ArrayList<>(settings.agents() * 160);
        long dayStart = START.plus(Duration.ofDays(day)).toEpochMilli();
        for (Agent a : agents) {
          if (a.works(day)) {
            deskDay(events, a, day, dayStart, random.split());
          }
        }
        for (Attack attack : attacks.values()) {
          if (day >= attack.startDay) {
            attackDay(events, attack, day, dayStart, random.split());
          }
        }
        Event[] sorted = events.toArray(new Event[0]);
        Arrays.sort(sorted, (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
        for (Event e : sorted) {
          process(e, day);
        }
        if (desk == null) {
          recordRisk(); // the broker's detector keeps its risk to itself; its alerts are read at the end
        }
        if (dayTrace != null) {
          for (Attack attack : attacks.values()) {
            for (Agent x : attack.agents) {
              dayTrace.accept(attack.scenario.wireName() + " day " + day + " " + detector.assess(x.id).explain());
            }
          }
        }
        progress.accept(day + 1);
      }
      long end = START.plus(Duration.ofDays(settings.days())).toEpochMilli();
      if (desk != null) {
        scoreAlerts(deskCall("read the alerts", desk::alerts));
      }
      List<Report.Outcome> outcomes = new ArrayList<>();
      for (Attack attack : attacks.values()) {
        double seconds = attack.firstAt == Long.MIN_VALUE ? 0
            : ((attack.contained() ? attack.containedAt : end) - attack.firstAt) / 1000.0;
        outcomes.add(new Report.Outcome(attack.scenario, attack.seen.size(), seconds, attack.contained(), attack.afterDecoy,
            attack.refused.size()));
      }
      return new Report(settings.seed(), settings.agents(), settings.days(), outcomes,
          new Report.Benign((long) settings.agents() * settings.days(), falseContainments, alerts, truePositiveAlerts),
          desk == null ? risk() : Report.Risk.NONE, desk == null ? Report.Mode.DETECTOR : Report.Mode.BROKER);
    }

    /**
     * Broker mode: counts the broker's alerts (each stored alert, as security sees them), true
     * positives being an insider's during their attack, and dates each containment from the
     * suspending alert (the simulation learns of a suspension only at the person's next step).
     */
    void scoreAlerts(List<RaisedAlert> all) {
      falseContainments = 0; // counted from the alerts: a suspension the run never stepped into still counts
      for (RaisedAlert r : all) {
        alerts++;
        Agent agent = byId.get(r.staff());
        Attack attack = agent == null || agent.attack == null ? null : attacks.get(agent.attack);
        boolean during = attack != null && attack.firstAt != Long.MIN_VALUE && r.at().toEpochMilli() >= attack.firstAt;
        if (during) {
          truePositiveAlerts++;
        } else if (r.suspended() && agent != null) {
          falseContainments++;
        }
      }
      for (Attack attack : attacks.values()) {
        if (attack.contained() && attack.agents.stream().allMatch(x -> x.suspended)) {
          long suspended = lastFirstSuspension(all, attack);
          if (suspended != Long.MIN_VALUE) {
            attack.containedAt = Math.max(attack.firstAt, Math.min(suspended, attack.containedAt));
          }
        }
      }
    }

    /** When the last of an attack's agents first had a suspending alert during it (MIN_VALUE when none had). */
    long lastFirstSuspension(List<RaisedAlert> all, Attack attack) {
      long latest = Long.MIN_VALUE;
      for (Agent x : attack.agents) {
        long first = all.stream().filter(r -> r.suspended() && r.staff().equals(x.id)
            && r.at().toEpochMilli() >= attack.firstAt).mapToLong(r -> r.at().toEpochMilli()).min().orElse(Long.MIN_VALUE);
        latest = Math.max(latest, first);
      }
      return latest;
    }

    /** A desk call; a failure ends the simulation with what failed. */
    <T> T deskCall(String what, java.util.concurrent.Callable<T> call) {
      try {
        return call.call();
      } catch (DeskException e) {
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeskException("interrupted while the desk tried to " + what, e);
      } catch (Exception e) {
        throw new DeskException("the desk could not " + what + ": " + e.getMessage(), e);
      }
    }

    List<Member> members() {
      List<Member> members = new ArrayList<>();
      for (Agent a : agents) {
        members.add(new Member(a.id, a.role, team(a), a.shiftStartHour));
      }
      return members;
    }

    /** The team name of an agent, as the detector's peer group knows it. */
    String team(Agent a) {
      return "team-" + Math.floorMod(a.index, Math.max(3, settings.agents() / 20));
    }

    /** Appends today's peak risk of each tracked agent, and the benign sample's median, 95th percentile and maximum. */
    void recordRisk() {
      List<Double> benign = new ArrayList<>();
      for (Agent a : tracked) {
        double r = Math.max(todayPeak[a.index], detector.assess(a.id).risk());
        dailyRisk.get(a).add(r);
        if (a.attack == null) {
          benign.add(r);
        }
      }
      java.util.Collections.sort(benign);
      benignMedian.add(benign.isEmpty() ? 0 : benign.get(benign.size() / 2));
      benignP95.add(benign.isEmpty() ? 0 : benign.get(Math.min(benign.size() - 1, (int) Math.ceil(benign.size() * 0.95) - 1)));
      benignMax.add(benign.isEmpty() ? 0 : benign.getLast());
      Arrays.fill(todayPeak, 0);
    }

    Report.Risk risk() {
      List<Report.AttackerRisk> series = new ArrayList<>();
      for (Attack attack : attacks.values()) {
        int containedDay = attack.contained()
            ? (int) ((attack.containedAt - START.toEpochMilli()) / Duration.ofDays(1).toMillis()) : -1;
        for (Agent a : attack.agents) {
          series.add(new Report.AttackerRisk(attack.scenario, a.id.value(), attack.startDay, containedDay, dailyRisk.get(a)));
        }
      }
      return new Report.Risk(series, benignMedian, benignP95, benignMax, tracked.size() - series.size(),
          policy.threshold(Measure.ALERT), policy.threshold(Measure.SUSPEND));
    }

    void process(Event e, int day) {
      Agent a = e.agent;
      if (a.suspended) {
        return;
      }
      Attack attack = a.attack == null ? null : attacks.get(a.attack);
      if (e.thief && attack != null && attack.thiefStopped) {
        return;
      }
      if (e.attack && attack != null && attack.firstAt == Long.MIN_VALUE) {
        attack.firstAt = e.at;
      }
      if (desk != null) {
        processThroughDesk(e, day, attack);
        return;
      }
      if (e.attack && attack != null) {
        boolean decoy = e.observation instanceof Touch t && t.decoy();
        if (!decoy && e.attackCustomer >= 0) {
          attack.seen.add(e.attackCustomer);
          if (attack.afterDecoy >= 0) {
            attack.afterDecoy++;
          }
        }
        if (decoy && attack.afterDecoy < 0) {
          attack.afterDecoy = 0;
        }
      }
      if (accesses != null) {
        shown(e, day, attack);
      }
      Measure m = detector.observe(e.observation);
      apply(e, day, attack, m);
    }

    /** Broker mode: the desk plays the step; only what it showed counts as seen. */
    void processThroughDesk(Event e, int day, Attack attack) {
      Agent a = e.agent;
      boolean high = e.observation instanceof Touch t ? t.highValue()
          : e.found >= 0 ? vip[e.found]
          : e.observation instanceof TicketFact f && vipOf(f.requester());
      Step step = new Step(e.observation, e.thief, e.found >= 0 ? Optional.of(customer(e.found))
          : Optional.empty(), high, e.sweep);
      Outcome o = deskCall("play a step of " + a.id.value(), () -> desk.act(step));
      if (e.attack && attack != null) {
        boolean decoy = e.observation instanceof Touch t && t.decoy();
        if (decoy && attack.afterDecoy < 0) {
          attack.afterDecoy = 0;
        } else if (!decoy && e.attackCustomer >= 0 && !o.contained()) {
          if (o.shown()) {
            attack.seen.add(e.attackCustomer);
            if (attack.afterDecoy >= 0) {
              attack.afterDecoy++;
            }
          } else {
            attack.refused.add(e.attackCustomer);
          }
        }
      }
      apply(e, day, attack, o.contained() ? Measure.SUSPEND : o.secondFactorMissing() ? Measure.STEP_UP : Measure.NONE);
    }

    /** Whether the customer with this simulated id is VIP. */
    boolean vipOf(CustomerId c) {
      String v = c.value();
      if (v.length() < 2 || v.charAt(0) != 'c') {
        return false;
      }
      try {
        int i = Integer.parseInt(v, 1, v.length(), 10);
        return i >= 0 && i < population && vip[i];
      } catch (NumberFormatException ex) {
        return false;
      }
    }

    /** Applies what the detector or the broker asked for after an event. */
    void apply(Event e, int day, Attack attack, Measure m) {
      Agent a = e.agent;
      if (m == Measure.SUSPEND) {
        a.suspended = true;
        if (attack != null && attack.firstAt != Long.MIN_VALUE) {
          if (attack.agents.stream().allMatch(x -> x.suspended) && !attack.contained()) {
            attack.containedAt = e.at;
          }
        } else {
          falseContainments++;
          a.restoreOnDay = day + 1;
        }
      } else if (e.thief && attack != null && m.compareTo(Measure.STEP_UP) >= 0) {
        attack.thiefStopped = true; // the thief has no second factor
        if (!attack.contained()) {
          attack.containedAt = e.at;
        }
      }
    }

    /** Tells the access sink what {@code e} showed, if anything. */
    void shown(Event e, int day, Attack attack) {
      String session = "sess-" + e.agent.id.value() + (e.thief ? "-thief" : "-d" + day);
      Scenario scenario = e.attack && attack != null ? attack.scenario : null;
      switch (e.observation) {
        case Touch t when t.decoy() ->
            accesses.accept(new Seen(t.at(), t.staff(), session, t.customer(), Seen.Kind.SEARCH, e.attack, scenario));
        case Touch t -> accesses.accept(new Seen(t.at(), t.staff(), session, t.customer(),
            t.reveal() ? Seen.Kind.REVEAL : Seen.Kind.VIEW, e.attack, scenario));
        case Search s when e.attackCustomer >= 0 -> accesses.accept(new Seen(s.at(), s.staff(), session,
            customer(e.attackCustomer), Seen.Kind.SEARCH, e.attack, scenario));
        default -> { }
      }
    }

    void add(List<Event> out, long at, Agent a, Observation o) {
      out.add(new Event(at, seq++, a, o, -1, false, false));
    }

    void addAttack(List<Event> out, long at, Agent a, Observation o, int customer, boolean thief) {
      out.add(new Event(at, seq++, a, o, customer, true, thief));
    }

    int requester(SplittableRandom r) {
      // Heavy-tailed contact frequency: a few customers write often, most rarely.
      return (int) (population * Math.pow(r.nextDouble(), 3));
    }

    static Instant at(long millis) {
      return Instant.ofEpochMilli(millis);
    }

    void deskDay(List<Event> out, Agent a, int day, long dayStart, SplittableRandom r) {
      boolean weekend = Math.floorMod(day, 7) >= 5;
      double factor = (surgeDays.contains(day) ? 3 : 1) * (weekend ? 0.7 : 1) * a.pace;
      double base = switch (a.role) {
        case SUPPORT_L1 -> 30;
        case SUPPORT_L2 -> 16;
        case KYC_REVIEWER -> 40;
        default -> 10;
      };
      long shiftStart = dayStart + a.shiftStartHour * 3_600_000L;
      long shiftLength = 8 * 3_600_000L;
      add(out, shiftStart + r.nextLong(900_000), a, new SessionStart(at(shiftStart), a.id, r.nextInt(200) == 0, r.nextInt(100) == 0));
      int tickets = poisson(r, base * factor);
      for (int i = 0; i < tickets; i++) {
        long t = shiftStart + 900_000 + r.nextLong(shiftLength - 900_000);
        ticket(out, a, t, r);
      }
      if (r.nextInt(20) == 0) { // overtime: a few tickets after the shift
        for (int i = 0; i < 1 + r.nextInt(3); i++) {
          ticket(out, a, shiftStart + shiftLength + 3_600_000L + r.nextLong(3_600_000L), r);
        }
      }
      int breakGlass = poisson(r, a.breakGlassPerDay);
      for (int i = 0; i < breakGlass; i++) {
        long t = shiftStart + r.nextLong(shiftLength);
        int c = r.nextInt(population);
        add(out, t, a, Touch.view(at(t), a.id, customer(c), Basis.BREAK_GLASS, vip[c], a.onShift(t)));
      }
      if (a.role == Role.FRAUD_ANALYST && r.nextInt(4) == 0) { // a fraud case sweep
        int n = 30 + r.nextInt(120);
        long t = shiftStart + r.nextLong(shiftLength / 2);
        int first = out.size();
        List<CustomerId> sweep = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          t += 20_000 + r.nextLong(120_000);
          int c = r.nextInt(population);
          sweep.add(customer(c));
          add(out, t, a, new Touch(at(t), a.id, customer(c), r.nextInt(3) == 0, Classification.SECRET, Basis.CASE, vip[c], false,
              a.onShift(t)));
        }
        Event e = out.get(first); // the case lists every customer of the sweep, opened before its first look
        out.set(first, new Event(e.at, e.seq, e.agent, e.observation, e.attackCustomer, e.attack, e.thief, e.found, sweep));
      }
    }

    void ticket(List<Event> out, Agent a, long t, SplittableRandom r) {
      int c = requester(r);
      boolean self = r.nextDouble() < a.outbound;
      long created = self ? t : a.role == Role.SUPPORT_L2 ? t - 3_600_000L - r.nextLong(24 * 3_600_000L) // escalated
          : t - r.nextLong(4 * 3_600_000L);
      boolean shift = a.onShift(t);
      if (r.nextInt(7) == 0) { // the agent looks the customer up by e-mail first
        if (mistyped(t, a.index)) { // and one time in twenty mistypes it, finding nobody, and searches again
          out.add(new Event(t - 20_000, seq++, a, new Search(at(t - 20_000), a.id, 0, a.onShift(t - 20_000)), -1, false, false,
              -1, List.of()));
        }
        out.add(new Event(t, seq++, a, new Search(at(t), a.id, 1, shift), -1, false, false, c, List.of()));
      }
      add(out, t, a, new TicketFact(at(t), a.id, self ? TicketFact.Kind.CREATED_BY_SELF : TicketFact.Kind.ASSIGNED, customer(c),
          at(created), !self || r.nextInt(100) < 85));
      add(out, t + 10_000, a, Touch.view(at(t + 10_000), a.id, customer(c), Basis.OWN_TICKET, vip[c], shift));
      if (r.nextDouble() < a.linked) {
        int n = 1 + r.nextInt(a.role == Role.SUPPORT_L2 ? 4 : 2);
        for (int i = 0; i < n; i++) {
          int l = Math.floorMod(c + 1 + r.nextInt(1000), population);
          add(out, t + 30_000 + i * 15_000L, a, Touch.view(at(t + 30_000 + i * 15_000L), a.id, customer(l), Basis.LINKED, vip[l],
              shift));
        }
      }
      if (r.nextDouble() < a.reveal) {
        add(out, t + 90_000, a, new Touch(at(t + 90_000), a.id, customer(c), true, sensitivity(a.role, r), Basis.OWN_TICKET,
            vip[c], false, shift));
      }
      long close = r.nextInt(40) == 0 ? created + r.nextLong(240_000) : t + 180_000 + r.nextLong(90 * 60_000L);
      close = Math.max(close, t + 60_000);
      add(out, close, a, new TicketFact(at(close), a.id, TicketFact.Kind.CLOSED, customer(c), at(created), true));
    }

    /**
     * Whether an honest look-up by e-mail is mistyped first (one in twenty), drawn from a hash of
     * its time and agent rather than the desk's random source, so that every other draw of the desk
     * (tickets, views, attacks) stays what it was without honest misses.
     */
    static boolean mistyped(long t, int agent) {
      long h = (t * 0x9E3779B97F4A7C15L) ^ (agent * 0xC2B2AE3D27D4EB4FL);
      h ^= h >>> 31;
      h *= 0xBF58476D1CE4E5B9L;
      h ^= h >>> 29;
      return Long.remainderUnsigned(h, 20) == 0;
    }

    static Classification sensitivity(Role role, SplittableRandom r) {
      return switch (role) {
        case SUPPORT_L1 -> Classification.CONFIDENTIAL;
        case SUPPORT_L2 -> r.nextInt(5) == 0 ? Classification.RESTRICTED : Classification.CONFIDENTIAL;
        case KYC_REVIEWER -> r.nextInt(10) < 7 ? Classification.RESTRICTED : Classification.CONFIDENTIAL;
        default -> r.nextInt(10) < 6 ? Classification.SECRET : Classification.RESTRICTED;
      };
    }

    static int poisson(SplittableRandom r, double mean) {
      if (mean <= 0) {
        return 0;
      }
      if (mean > 30) {
        return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
      }
      double l = Math.exp(-mean);
      int k = 0;
      double p = 1;
      do {
        k++;
        p *= r.nextDouble();
      } while (p > l);
      return k - 1;
    }

    int vipCustomer(SplittableRandom r) {
      while (true) {
        int c = r.nextInt(population);
        if (vip[c]) {
          return c;
        }
      }
    }

    // ---- the attacks: each as a careful insider would play it ----

    void attackDay(List<Event> out, Attack attack, int day, long dayStart, SplittableRandom r) {
      Agent a = attack.agents.getFirst();
      long shiftStart = dayStart + a.shiftStartHour * 3_600_000L;
      long shiftLength = 8 * 3_600_000L;
      boolean working = a.works(day);
      switch (attack.scenario) {
        case SMASH_AND_GRAB -> {
          if (day != attack.startDay) {
            return;
          }
          long t = shiftStart + 2 * 3_600_000L + r.nextLong(4 * 3_600_000L);
          for (int i = 0; i < 3000; i++) {
            t += 3_000 + r.nextLong(6_000);
            int c = r.nextInt(population);
            addAttack(out, t, a, Touch.view(at(t), a.id, customer(c), Basis.NONE, vip[c], a.onShift(t)), c, false);
          }
        }
        case LOW_AND_SLOW -> {
          if (!working) {
            return;
          }
          int n = 2 + r.nextInt(3);
          for (int i = 0; i < n; i++) {
            long t = shiftStart + 1_800_000L + r.nextLong(shiftLength - 3_600_000L);
            int c = r.nextInt(10) == 0 ? vipCustomer(r) : r.nextInt(population);
            addAttack(out, t, a, Touch.view(at(t), a.id, customer(c), Basis.NONE, vip[c], true), c, false);
          }
        }
        case VIP_TARGETING -> {
          if (!working) {
            return;
          }
          int n = 5 + r.nextInt(11);
          for (int i = 0; i < n; i++) {
            long t = shiftStart + 1_800_000L + r.nextLong(shiftLength - 3_600_000L);
            int c = vipCustomer(r);
            addAttack(out, t, a, Touch.view(at(t), a.id, customer(c), Basis.NONE, true, true), c, false);
          }
        }
        case TICKET_FABRICATION -> {
          if (!working) {
            return;
          }
          int n = 3 + r.nextInt(3);
          for (int i = 0; i < n; i++) {
            long t = shiftStart + 1_800_000L + r.nextLong(shiftLength - 3 * 3_600_000L);
            int c = r.nextInt(5) == 0 ? vipCustomer(r) : r.nextInt(population);
            addAttack(out, t, a, new TicketFact(at(t), a.id, TicketFact.Kind.CREATED_BY_SELF, customer(c), at(t),
                r.nextInt(100) < 25), -1, false);
            addAttack(out, t + 60_000, a, Touch.view(at(t + 60_000), a.id, customer(c), Basis.OWN_TICKET, vip[c], true), c, false);
            if (r.nextInt(10) < a.reveal * 10) {
              addAttack(out, t + 120_000, a, new Touch(at(t + 120_000), a.id, customer(c), true, Classification.CONFIDENTIAL,
                  Basis.OWN_TICKET, vip[c], false, true), c, false);
            }
            long close = t + 15 * 60_000L + r.nextLong(75 * 60_000L);
            addAttack(out, close, a, new TicketFact(at(close), a.id, TicketFact.Kind.CLOSED, customer(c), at(t), true), -1, false);
          }
        }
        case STOLEN_SESSION -> {
          if (day != attack.startDay) {
            return;
          }
          long t = shiftStart + shiftLength + 4 * 3_600_000L + r.nextLong(3_600_000L); // the victim is off shift
          addAttack(out, t, a, new SessionStart(at(t), a.id, true, true), -1, true);
          for (int i = 0; i < 2000; i++) {
            t += 20_000 + r.nextLong(40_000);
            int c = r.nextInt(population);
            if (r.nextInt(3) == 0) {
              addAttack(out, t, a, new Search(at(t), a.id, 1, a.onShift(t)), c, true);
            }
            addAttack(out, t + 5_000, a, Touch.view(at(t + 5_000), a.id, customer(c), Basis.NONE, vip[c], a.onShift(t)), c, true);
          }
        }
        case COLLUDING_PAIR -> {
          Agent b = attack.agents.get(1);
          if (!working || !b.works(day)) {
            return;
          }
          long bShift = dayStart + b.shiftStartHour * 3_600_000L;
          int n = 2 + r.nextInt(3);
          for (int i = 0; i < n; i++) {
            int c = r.nextInt(population);
            long t = shiftStart + 1_800_000L + r.nextLong(shiftLength - 3_600_000L);
            addAttack(out, t, a, Touch.view(at(t), a.id, customer(c), Basis.NONE, vip[c], true), c, false);
            long u = Math.max(t + 600_000, bShift + 1_800_000L + r.nextLong(shiftLength - 3_600_000L));
            addAttack(out, u, b, new Touch(at(u), b.id, customer(c), true, Classification.CONFIDENTIAL, Basis.NONE, vip[c], false,
                b.onShift(u)), c, false);
          }
        }
        case SEARCH_ENUMERATION -> {
          if (!working) {
            return;
          }
          long t = shiftStart + 3_600_000L + r.nextLong(5 * 3_600_000L);
          for (int i = 0; i < 300; i++) {
            t += 15_000 + r.nextLong(25_000);
            boolean hit = r.nextInt(10) < 4;
            int c = hit ? r.nextInt(population) : -1;
            addAttack(out, t, a, new Search(at(t), a.id, hit ? 1 : 0, true), c, false);
          }
        }
        case DECOY_TOUCH -> {
          if (!working) {
            return;
          }
          List<DecoyCustomer> mine = decoys.assignedTo(a.id);
          int n = 6 + r.nextInt(6);
          for (int i = 0; i < n; i++) {
            long t = shiftStart + 1_800_000L + r.nextLong(shiftLength - 3_600_000L);
            boolean decoyShown = r.nextInt(15) == 0;
            addAttack(out, t, a, new Search(at(t), a.id, 1, true), -1, false);
            if (decoyShown) {
              DecoyCustomer d = mine.get(r.nextInt(mine.size()));
              addAttack(out, t + 20_000, a, new Touch(at(t + 20_000), a.id, d.id(), false, Classification.PUBLIC, Basis.NONE,
                  d.highValue(), true, true), -1, false);
            } else {
              int c = r.nextInt(population);
              addAttack(out, t + 20_000, a, Touch.view(at(t + 20_000), a.id, customer(c), Basis.NONE, vip[c], true), c, false);
            }
          }
        }
      }
    }
  }
}
