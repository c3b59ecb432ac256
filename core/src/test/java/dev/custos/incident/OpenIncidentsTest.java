package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenIncidentsTest {
  static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  static final StaffId EVE = new StaffId("eve");
  static final CustomerId ADA = new CustomerId("cust-ada");
  static final CustomerId BOB = new CustomerId("cust-bob");
  final InMemoryIncidentStore store = new InMemoryIncidentStore();
  final MemoryAccessIndex index = new MemoryAccessIndex();

  static Commitment commitment(CustomerId c) {
    byte[] b = new byte[32];
    b[0] = (byte) c.value().hashCode();
    b[1] = 1;
    return Commitment.fromBytes(b);
  }

  final OpenIncidents scope = new OpenIncidents(store, index, c -> Optional.of(commitment(c)));

  Incident incident(IncidentStatus status) {
    Incident i = new Incident(IncidentId.parse("inc-00000000000000a1"), "t", "", Set.of(EVE), T.minusSeconds(3600),
        T, status, Optional.empty(), new StaffId("sec"), T, T, 0);
    store.create(i, new IncidentStep(T, "sec", "opened", Map.of(), Optional.empty(), 0));
    return i;
  }

  void saw(StaffId staff, CustomerId customer, Instant at) {
    index.add(new Access(index.coveredSize(), at, staff, "s", Action.VIEW, commitment(customer), "ticket",
        Optional.of("T-1"), Map.of("email", "partial-email")));
  }

  @Test
  void customerSeenByASuspectInTheWindow_ofAnOpenIncident_isInScope() {
    incident(IncidentStatus.OPEN);
    saw(EVE, ADA, T.minusSeconds(60));
    saw(new StaffId("bob"), BOB, T.minusSeconds(60));
    saw(EVE, BOB, T.plusSeconds(60));
    assertThat(scope.contains(ADA)).isTrue();
    assertThat(scope.contains(BOB)).isFalse();
  }

  @Test
  void closedIncidents_coverNobody() {
    incident(IncidentStatus.CLOSED);
    saw(EVE, ADA, T.minusSeconds(60));
    assertThat(scope.contains(ADA)).isFalse();
  }

  @Test
  void anUnreadableIndex_failsClosed() {
    incident(IncidentStatus.OPEN);
    AccessIndex down = (AccessIndex) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {AccessIndex.class}, (proxy, method, args) -> {
          throw new IllegalStateException("index unavailable");
        });
    OpenIncidents broken = new OpenIncidents(store, down, c -> Optional.of(commitment(c)));
    assertThat(broken.contains(ADA)).isTrue();
  }
}
