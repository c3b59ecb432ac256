package dev.custos.approval;

import static dev.custos.approval.ApprovalFixtures.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Stateful properties of approvals: random sequences of approve, deny, cancel, edit, expire and
 * sweep by a cast that includes the requester, a second account of an approver, a member of the
 * requester's team and an agent without an approver role, run one after another or by concurrent
 * actors. Never a double count, never an execution without quorum or before the time-lock.
 */
class ApprovalProperties {
  enum Op { APPROVE, APPROVE_STALE, DENY, CANCEL, EDIT, ADVANCE, SWEEP }

  record Command(Op op, int actor) {}

  private static final List<Participant> CAST = List.of(
      ApprovalFixtures.agent(),
      ApprovalFixtures.approver("appr-0"),
      ApprovalFixtures.approver("appr-1"),
      ApprovalFixtures.approver("appr-2"),
      new Participant(new StaffSubject(new StaffId("appr-0-alt"), Set.of(Role.APPROVER), true, Optional.of("risk")), "appr-0"),
      ApprovalFixtures.person("appr-desk", "desk-eu", Role.APPROVER),
      ApprovalFixtures.person("agent-42", "desk-eu", Role.SUPPORT_L1),
      ApprovalFixtures.person("sec-1", "security", Role.SECURITY_ANALYST));

  private static final Map<ApprovalState, Set<ApprovalState>> LEGAL = Map.of(
      ApprovalState.PENDING, EnumSet.of(ApprovalState.PENDING, ApprovalState.APPROVED, ApprovalState.DENIED,
          ApprovalState.CANCELLED, ApprovalState.EXPIRED),
      ApprovalState.APPROVED, EnumSet.of(ApprovalState.APPROVED, ApprovalState.TIME_LOCKED, ApprovalState.CANCELLED),
      ApprovalState.TIME_LOCKED, EnumSet.of(ApprovalState.TIME_LOCKED, ApprovalState.EXECUTED, ApprovalState.CANCELLED),
      ApprovalState.EXECUTED, EnumSet.of(ApprovalState.EXECUTED),
      ApprovalState.DENIED, EnumSet.of(ApprovalState.DENIED),
      ApprovalState.CANCELLED, EnumSet.of(ApprovalState.CANCELLED),
      ApprovalState.EXPIRED, EnumSet.of(ApprovalState.EXPIRED));

  @Provide
  Arbitrary<List<Command>> commands() {
    Arbitrary<Op> ops = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just(Op.APPROVE)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Op.APPROVE_STALE)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Op.DENY)), net.jqwik.api.Tuple.of(1, Arbitraries.just(Op.CANCEL)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.EDIT)), net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.ADVANCE)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Op.SWEEP)));
    return Combinators.combine(ops, Arbitraries.integers().between(0, CAST.size() - 1)).as(Command::new)
        .list().ofMinSize(1).ofMaxSize(40);
  }

  private record World(ApprovalDesk desk, InMemoryApprovalStore store, ApprovalFixtures.Clock clock,
      ApprovalFixtures.MemoryLedger ledger, RequestId id, List<String> executions) {}

  private static World world(int required, int timeLockHours) {
    ActionPolicy base = ApprovalCatalogue.defaults().policy(SensitiveAction.TWO_FACTOR_RESET);
    ApprovalCatalogue catalogue = ApprovalCatalogue.defaults().with(new ActionPolicy(base.action(), required,
        base.approverRoles(), Set.of(), true, Duration.ofHours(12), Duration.ofHours(timeLockHours), true));
    InMemoryApprovalStore store = new InMemoryApprovalStore();
    ApprovalFixtures.Clock clock = new ApprovalFixtures.Clock();
    ApprovalFixtures.MemoryLedger ledger = new ApprovalFixtures.MemoryLedger();
    List<String> executions = new java.util.concurrent.CopyOnWriteArrayList<>();
    ApprovalDispatch dispatch = new ApprovalDispatch() {
      @Override
      public void requested(ApprovalRequest r) {}

      @Override
      public boolean noticeToCustomer(ApprovalRequest r) {
        return true;
      }

      @Override
      public Handoff execute(ApprovalRequest r) {
        // What the backend is handed MUST carry a quorum and an elapsed time-lock.
        assertThat(r.approvals()).hasSize(r.policy().required());
        assertThat(clock.instant()).isAfterOrEqualTo(r.unlocksAt().orElseThrow());
        executions.add(r.id().value());
        return new Handoff.Accepted();
      }
    };
    ApprovalDesk desk = new ApprovalDesk(catalogue, store, dispatch, c -> Optional.empty(), ledger, clock,
        new SplittableRandom(1));
    ApprovalRequest r = ((ApprovalDesk.Result.Done) desk.request(CAST.get(0),
        ApprovalFixtures.reset2fa(CUSTOMER), Set.of())).request();
    return new World(desk, store, clock, ledger, r.id(), executions);
  }

  private static void apply(World w, Command c, int step) {
    Participant p = CAST.get(c.actor());
    ApprovalRequest now = w.store().find(w.id()).orElseThrow();
    switch (c.op()) {
      case APPROVE -> w.desk().approve(p, w.id(), now.bindingHash());
      case APPROVE_STALE -> w.desk().approve(p, w.id(), "0".repeat(64));
      case DENY -> w.desk().deny(p, w.id(), "no");
      case CANCEL -> w.desk().cancel(new Canceller.Staff(p), w.id(), null);
      case EDIT -> w.desk().edit(p, w.id(), ActionSpec.of(SensitiveAction.TWO_FACTOR_RESET, Optional.of(CUSTOMER),
          Map.of("ticket", "t-" + step)));
      case ADVANCE -> w.clock().advance(Duration.ofHours(5));
      case SWEEP -> w.desk().sweep(10);
    }
  }

  private static void checkInvariants(ApprovalRequest r) {
    Set<String> people = new java.util.HashSet<>();
    for (Approval a : r.approvals()) {
      assertThat(people.add(a.person())).as("one person counted once").isTrue();
      assertThat(a.person()).isNotEqualTo("agent-17");
      assertThat(a.staff().value()).isNotIn("agent-17", "appr-desk", "agent-42");
      assertThat(a.bindingHash()).isEqualTo(r.bindingHash());
    }
    assertThat(r.approvals().size()).isLessThanOrEqualTo(r.policy().required());
    if (r.state() == ApprovalState.EXECUTED) {
      assertThat(r.approvals()).hasSize(r.policy().required());
      assertThat(r.closedAt().orElseThrow()).isAfterOrEqualTo(r.unlocksAt().orElseThrow());
    }
  }

  @Property(tries = 300)
  void sequentialActors_neverDoubleCount_neverExecuteWithoutQuorum(@ForAll("commands") List<Command> commands,
      @ForAll @IntRange(min = 1, max = 3) int required, @ForAll @IntRange(min = 0, max = 12) int timeLockHours) {
    World w = world(required, timeLockHours);
    ApprovalState before = ApprovalState.PENDING;
    for (int i = 0; i < commands.size(); i++) {
      apply(w, commands.get(i), i);
      ApprovalRequest r = w.store().find(w.id()).orElseThrow();
      assertThat(LEGAL.get(before)).as(before + " -> " + r.state()).contains(r.state());
      checkInvariants(r);
      before = r.state();
    }
    assertThat(w.executions().size()).isLessThanOrEqualTo(1);
  }

  @Property(tries = 60)
  void concurrentActors_neverDoubleCount_andReachQuorumAtMostOncePerContent(
      @ForAll("commands") @Size(min = 6, max = 40) List<Command> commands, @ForAll @IntRange(min = 1, max = 3) int required)
      throws Exception {
    World w = world(required, 0);
    int threads = 3;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      for (int t = 0; t < threads; t++) {
        int lane = t;
        futures.add(pool.submit(() -> {
          go.await();
          for (int i = lane; i < commands.size(); i += threads) {
            apply(w, commands.get(i), i);
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    ApprovalRequest r = w.store().find(w.id()).orElseThrow();
    checkInvariants(r);
    long quorums = w.ledger().texts().stream().filter(e -> e.contains("\"event\":\"approved\"")).count();
    assertThat(quorums).isLessThanOrEqualTo(1);
    long votes = w.ledger().texts().stream()
        .filter(e -> e.contains("\"event\":\"approve") && e.contains("\"outcome\":\"done\"")).count();
    long edits = w.ledger().texts().stream().filter(e -> e.contains("\"event\":\"edit\"")).count();
    assertThat(votes).as("counted approvals never exceed what the content allowed").isLessThanOrEqualTo((edits + 1) * required);
    assertThat(w.executions().size()).isLessThanOrEqualTo(1);
  }
}
