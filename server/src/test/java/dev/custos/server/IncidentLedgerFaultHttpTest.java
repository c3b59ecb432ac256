package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fail closed: with the ledger gone, no incident step takes effect and no scope is shown. */
class IncidentLedgerFaultHttpTest {
  @TempDir
  Path temp;

  @Test
  void whenTheLedgerHasFailed_stepsAre503_andNothingChangesOrIsShown() throws Exception {
    try (CustomerWorld world = new CustomerWorld(temp, Containment.Settings.defaults(),
        Map.of("quota.break-glass-customers-per-day", "100"))) {
      StaffId agent = world.staff.get(Role.SUPPORT_L2);
      StaffClient.Reply seen = world.login(agent).post(world.base(), "/v1/access/break-glass",
          Map.of("customer", "cust-ada", "reason", "customer locked out after a phone change, verifying identity"));
      assertThat(seen.status()).isEqualTo(200);
      StaffClient security = world.login(world.staff.get(Role.SECURITY_ANALYST));
      Instant now = world.clock.instant();
      StaffClient.Reply opened = security.post(world.base(), "/v1/incidents", Map.of("title", "leak",
          "suspects", List.of(agent.value()), "from", now.minus(Duration.ofHours(1)).toString(),
          "to", now.plus(Duration.ofHours(1)).toString()));
      assertThat(opened.status()).isEqualTo(201);
      String id = opened.json().get("id").asText();

      world.custos.ledger().close();

      StaffClient.Reply moved = security.post(world.base(), "/v1/incidents/" + id + "/status",
          Map.of("status", "contained", "version", 0));
      assertThat(moved.status()).isEqualTo(503);
      assertThat(moved.json().path("type").asText()).isEqualTo("urn:custos:problem:ledger-unavailable");
      StaffClient.Reply scope = security.get(world.base(), "/v1/incidents/" + id + "/scope");
      assertThat(scope.status()).isEqualTo(503);
      assertThat(scope.raw().body()).doesNotContain("cust-ada");
      StaffClient.Reply reopened = security.post(world.base(), "/v1/incidents", Map.of("title", "another",
          "suspects", List.of(agent.value()), "from", now.minus(Duration.ofHours(1)).toString(),
          "to", now.toString()));
      assertThat(reopened.status()).isEqualTo(503);

      JsonNode incident = security.get(world.base(), "/v1/incidents/" + id).json();
      assertThat(incident.get("status").asText()).isEqualTo("open");
      assertThat(incident.get("timeline")).hasSize(1);
      assertThat(security.get(world.base(), "/v1/incidents").json().get("incidents")).hasSize(1);
    }
  }
}
