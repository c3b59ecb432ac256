package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.detect.Assessment;
import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Reading;
import dev.custos.detect.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart does not blind detection: the detector relearns the last long window from the access
 * index (fed by the ledger), so what a person did before the restart still counts after it.
 */
class DetectorRelearningTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static final String REASON = "customer locked out after a phone change, verifying identity";

  @BeforeAll
  static void start() throws Exception {
    Containment.Settings detection = new Containment.Settings(
        DetectionPolicy.defaults().toBuilder().warmUp(Duration.ZERO).build(), Duration.ofSeconds(20));
    world = new CustomerWorld(temp, detection, Map.of("quota.break-glass-customers-per-day", "1000"));
    for (int i = 0; i < 3; i++) {
      world.put(new CustomerId("cust-relearn-" + i), CustomerWorld.fullRecord("Customer " + i, "r" + i + "@example.com",
          "+44 20 7946 " + (2000 + i), "QQ" + (200000 + i) + "A"));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  private static Map<Signal, Double> values(Assessment a) {
    return a.readings().stream().collect(Collectors.toMap(Reading::signal, Reading::value, (x, y) -> x));
  }

  @Test
  void customersSeenBeforeARestart_stillCountAfterIt() throws Exception {
    StaffId agent = world.staff.get(Role.SUPPORT_L2);
    StaffClient client = world.login(agent);
    for (int i = 0; i < 3; i++) {
      StaffClient.Reply r = client.post(world.base(), "/v1/access/break-glass",
          Map.of("customer", "cust-relearn-" + i, "reason", REASON));
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    }
    Assessment before = world.custos.containment().assess(agent);
    assertThat(values(before)).as("the break-glass views were observed").isNotEmpty();

    world.restart();

    Assessment after = world.custos.containment().assess(agent);
    assertThat(world.custos.containment().watched()).contains(agent);
    assertThat(values(after)).as("relearnt: %s against %s", after.explain(), before.explain())
        .containsOnlyKeys(values(before).keySet());
    values(before).forEach((signal, value) ->
        assertThat(values(after).get(signal)).as(signal.wireName()).isCloseTo(value, org.assertj.core.data.Offset.offset(
            Math.max(0.05, Math.abs(value) * 0.05))));
  }
}
