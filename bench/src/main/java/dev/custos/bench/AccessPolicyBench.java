package dev.custos.bench;

import dev.custos.access.AccessPolicy;
import dev.custos.access.AccessRequest;
import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.Decision;
import dev.custos.access.PolicySettings;
import dev.custos.access.Purpose;
import dev.custos.access.PurposeFacts;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import dev.custos.access.Ticket;
import dev.custos.access.TicketId;
import dev.custos.access.TicketStatus;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process latency of {@link AccessPolicy#decide} (the target: p50 at most 1 µs; Cedar's
 * published median is 4–11 µs), in {@link Mode#SampleTime} so the report has percentiles. The
 * requests are built once: the broker builds one per access anyway, and its cost is not the
 * policy's.
 * <ul>
 *   <li>{@code viewOwnTicket}: a support-l1 view of every field its role sees, for an open ticket
 *       assigned to it (permit, the precomputed plan);</li>
 *   <li>{@code denyOtherAgentsTicket}: the same for a ticket of another agent (deny);</li>
 *   <li>{@code revealOwnTicket}: a support-l2 reveal of phone and address with a reason and a fresh
 *       second factor (permit, a plan built for the request).</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class AccessPolicyBench {
  AccessPolicy policy;
  AccessRequest view;
  AccessRequest deny;
  AccessRequest reveal;

  @Setup(Level.Trial)
  public void setUp() {
    policy = new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults());
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    StaffId agent = new StaffId("agent-17");
    CustomerId customer = new CustomerId("cust-1001");
    TicketId id = new TicketId("zd-4711");
    Ticket own = new Ticket(id, customer, Optional.of(agent), TicketStatus.OPEN, "email", "account-access", false, now, 3);
    Ticket theirs = new Ticket(id, customer, Optional.of(new StaffId("agent-42")), TicketStatus.OPEN, "email",
        "account-access", false, now, 3);
    StaffSubject l1 = new StaffSubject(agent, Set.of(Role.SUPPORT_L1), true, Optional.of("desk-eu"));
    StaffSubject l2 = new StaffSubject(agent, Set.of(Role.SUPPORT_L2), true, Optional.of("desk-eu"));
    view = AccessRequest.view(l1, customer, Purpose.ticket(id), PurposeFacts.of(own), now);
    deny = AccessRequest.view(l1, customer, Purpose.ticket(id), PurposeFacts.of(theirs), now);
    reveal = new AccessRequest(l2, Action.REVEAL, customer, Purpose.ticket(id),
        Set.of(new Field("phone"), new Field("address")), Optional.of("customer asked to confirm the phone on file"),
        Optional.of(now.minusSeconds(60)), now, PurposeFacts.of(own));
    if (!policy.decide(view).permitted() || policy.decide(deny).permitted() || !policy.decide(reveal).permitted()) {
      throw new IllegalStateException("the benchmark's requests do not decide as intended");
    }
  }

  @Benchmark
  public Decision viewOwnTicket() {
    return policy.decide(view);
  }

  @Benchmark
  public Decision denyOtherAgentsTicket() {
    return policy.decide(deny);
  }

  @Benchmark
  public Decision revealOwnTicket() {
    return policy.decide(reveal);
  }
}
