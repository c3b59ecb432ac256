package dev.custos.approval;

import dev.custos.access.AccessLedger;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import dev.custos.ledger.Hash;
import dev.custos.ledger.Receipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Sample staff, specs and requests for the approval tests and the store contracts. */
public final class ApprovalFixtures {
  /** A whole-microsecond instant (PostgreSQL keeps microseconds). */
  public static final Instant T = Instant.parse("2026-11-21T10:00:00.123456Z");
  public static final CustomerId CUSTOMER = new CustomerId("cust-1001");
  public static final String SALT = "00112233445566778899aabbccddeeff";

  private ApprovalFixtures() {}

  public static Participant person(String id, String team, Role... roles) {
    return Participant.of(new StaffSubject(new StaffId(id), Set.of(roles), true, Optional.ofNullable(team)));
  }

  public static Participant agent() {
    return person("agent-17", "desk-eu", Role.SUPPORT_L1);
  }

  public static Participant approver(String id) {
    return person(id, "risk", Role.APPROVER);
  }

  public static ActionSpec reset2fa(CustomerId customer) {
    return ActionSpec.of(SensitiveAction.TWO_FACTOR_RESET, Optional.of(customer), Map.of("ticket", "zendesk-777"));
  }

  /** A fresh request id. */
  public static RequestId freshId() {
    return new RequestId("apr-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** A new pending 2FA reset by {@link #agent()} needing {@code required} approvals, created at {@link #T}. */
  public static ApprovalRequest pending(int required, Duration timeLock) {
    ActionPolicy base = ApprovalCatalogue.defaults().policy(SensitiveAction.TWO_FACTOR_RESET);
    ActionPolicy p = new ActionPolicy(base.action(), required, base.approverRoles(), Set.of(), true, Duration.ofHours(24),
        timeLock, true);
    return new ApprovalRequest(freshId(), reset2fa(CUSTOMER), SALT, new StaffId("agent-17"), "agent-17",
        Optional.of("desk-eu"), Set.of(), p, ApprovalState.PENDING, T, T.plus(Duration.ofHours(24)), List.of(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1);
  }

  /** A ledger in memory that can be made to fail. */
  public static final class MemoryLedger implements AccessLedger {
    public final List<byte[]> entries = new CopyOnWriteArrayList<>();
    public final AtomicBoolean failing = new AtomicBoolean();

    @Override
    public synchronized Receipt append(byte[] entry) throws Unavailable {
      if (failing.get()) {
        throw new Unavailable("the disk is full", null);
      }
      entries.add(entry);
      return new Receipt(entries.size() - 1, new Hash(new byte[32]));
    }

    public List<String> texts() {
      return entries.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
  }

  /** A clock the test moves. */
  public static final class Clock implements InstantSource {
    private final AtomicReference<Instant> now = new AtomicReference<>(T);

    @Override
    public Instant instant() {
      return now.get();
    }

    public void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }
  }
}
