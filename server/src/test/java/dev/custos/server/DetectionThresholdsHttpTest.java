package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's detector measures at the risks {@code detection.thresholds} sets, not at the built-in ones. */
class DetectionThresholdsHttpTest {
  @TempDir
  Path temp;

  private static StaffClient login(CustomerWorld world, StaffId id) throws Exception {
    StaffClient c = new StaffClient();
    assertThat(c.login(world.base(), id.value(), CustomerWorld.PASSWORD, world.totp.get(id)).status()).isEqualTo(200);
    return c;
  }

  /** A world with {@code thresholds}, warm-up off as in ContainmentHttpTest, and 30 customers. */
  private CustomerWorld world(String thresholds) throws Exception {
    CustomerWorld world = new CustomerWorld(temp.resolve(thresholds),
        c -> Containment.Settings.of(c.detection().toBuilder().warmUp(Duration.ZERO).build()),
        Map.of("quota.break-glass-customers-per-day", "1000", "detection.thresholds", thresholds));
    for (int i = 0; i < 30; i++) {
      world.put(new CustomerId("cust-real-" + i), CustomerWorld.fullRecord("Customer " + i, "c" + i + "@example.com",
          "+44 20 7946 " + (1000 + i), "QQ" + (100000 + i) + "A"));
    }
    return world;
  }

  /** The support-l2 member breaks the glass for customers 0, 1, … until refused; how many answered 200. */
  private static int breakGlassUntilRefused(CustomerWorld world, StaffClient agent, int most) throws Exception {
    for (int i = 0; i < most; i++) {
      StaffClient.Reply r = agent.post(world.base(), "/v1/access/break-glass",
          Map.of("customer", "cust-real-" + i, "reason", ContainmentHttpTest.REASON));
      if (r.status() != 200) {
        assertThat(r.status()).as(r.raw().body()).isEqualTo(401);
        return i;
      }
    }
    return most;
  }

  private static JsonNode alerts(CustomerWorld world) throws Exception {
    return login(world, world.staff.get(Role.SECURITY_ANALYST)).get(world.base(), "/v1/alerts").json().get("alerts");
  }

  @Test
  void lowConfiguredThresholds_suspendWithinThreeRecords_atTheConfiguredRisk() throws Exception {
    try (CustomerWorld world = world("0.5,1,1.5,2")) {
      StaffId insider = world.staff.get(Role.SUPPORT_L2);
      assertThat(breakGlassUntilRefused(world, login(world, insider), 30)).isLessThanOrEqualTo(3);
      JsonNode suspend = ContainmentHttpTest.find(alerts(world), insider, "suspend");
      assertThat(suspend).isNotNull();
      assertThat(suspend.get("risk").asDouble()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void highConfiguredThresholds_leaveTheSameThreeRecordsWithoutAnyMeasure() throws Exception {
    // The same three break-glass looks read 12.9 (a suspension under the default 9.5,10,11.5,12) and, under
    // the low thresholds above, a suspension; under 25,26,27,28 they call for nothing yet.
    try (CustomerWorld world = world("25,26,27,28")) {
      StaffId insider = world.staff.get(Role.SUPPORT_L2);
      assertThat(breakGlassUntilRefused(world, login(world, insider), 3)).isEqualTo(3);
      for (JsonNode a : alerts(world)) {
        assertThat(a.get("staff").asText()).as(a.toString()).isNotEqualTo(insider.value());
      }
    }
  }
}
