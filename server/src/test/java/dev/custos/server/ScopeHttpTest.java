package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.vault.Commitment;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access index fed from the ledger entries the access broker really writes (a view, a search, a
 * denial), the customer directory over the vault, and {@code GET /v1/scope} with its ledger entry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScopeHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static StaffId agent;
  static Instant before;

  @BeforeAll
  static void start() throws Exception {
    world = new CustomerWorld(temp);
    agent = world.staff.get(Role.SUPPORT_L1);
    before = world.clock.instant();
    assertThat(world.ticket("assigned", "T-100", ADA, agent, "open", false).statusCode()).isEqualTo(200);
    StaffClient c = world.login(agent);
    assertThat(c.get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=T-100").status()).isEqualTo(200);
    // A denial: Bob is not the ticket's requester. It showed nothing, so it is no access.
    assertThat(c.get(world.base(), "/v1/customers/" + BOB.value() + "?ticket=T-100").status()).isEqualTo(404);
    assertThat(c.get(world.base(), "/v1/customers/search?email=" + URLEncoder.encode("bob@example.com",
        StandardCharsets.UTF_8)).status()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  private static StaffClient as(Role role) throws Exception {
    return world.login(world.staff.get(role));
  }

  private static String window() {
    return "&from=" + before.minusSeconds(60) + "&to=" + world.clock.instant().plusSeconds(60);
  }

  @Test
  @Order(1)
  void indexer_readsTheBrokersEntries_aViewAndASearchStub_notTheDenial() throws Exception {
    world.custos.ledger().publish();
    world.custos.indexing().catchUp();
    List<Access> seen = new ArrayList<>();
    world.custos.indexing().index().byStaff(Set.of(agent), Instant.MIN, Instant.MAX, seen::add);
    Commitment ada = world.custos.customers().vault.commitment(ADA).orElseThrow();
    Commitment bob = world.custos.customers().vault.commitment(BOB).orElseThrow();
    assertThat(seen).extracting(Access::customer).containsExactly(ada, bob);
    assertThat(seen.get(0).purposeId()).contains("T-100");
    assertThat(seen.get(0).fields()).containsKey("email");
    assertThat(seen.get(1).action()).isEqualTo(dev.custos.access.Action.SEARCH);
    assertThat(world.custos.indexing().index().coveredSize()).isEqualTo(world.custos.ledger().latestCheckpoint()
        .checkpoint().size());
    assertThat(world.custos.indexing().unreadable()).isZero();
  }

  @Test
  @Order(2)
  void scope_namesTheCustomersById_withFieldsAndCategories_andIsRecorded() throws Exception {
    world.custos.ledger().publish();
    StaffClient analyst = as(Role.SECURITY_ANALYST);
    StaffClient.Reply r = analyst.get(world.base(), "/v1/scope?staff=" + agent.value() + window());
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("customers").asInt()).isEqualTo(2);
    List<String> ids = new ArrayList<>();
    body.get("exposures").forEach(e -> ids.add(e.get("customer").asText()));
    assertThat(ids).containsExactlyInAnyOrder(ADA.value(), BOB.value());
    assertThat(body.get("byCategory").get("contact").asInt()).isEqualTo(2);
    long index = body.get("ledgerIndex").asLong();
    world.custos.ledger().publish();
    String entry = new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
    assertThat(entry).contains("\"kind\":\"custos.incident/v1\"").contains("\"event\":\"scope.read\"")
        .contains("\"customers\":2").doesNotContain(ADA.value()).doesNotContain(BOB.value());
  }

  @Test
  @Order(3)
  void scope_asCsv_hasOneRowPerCustomer() throws Exception {
    StaffClient.Reply r = as(Role.SECURITY_ANALYST).get(world.base(),
        "/v1/scope?format=csv&staff=" + agent.value() + window());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(List.of(r.raw().body().split("\r\n"))).hasSize(3).first().isEqualTo(ScopeDocuments.CSV_HEADER);
  }

  @Test
  @Order(4)
  void scope_isForSecurityAnalystsOnly_andBadInputNamesTheParameter() throws Exception {
    assertThat(as(Role.SUPPORT_L2).get(world.base(), "/v1/scope?staff=a" + window()).status()).isEqualTo(403);
    StaffClient analyst = as(Role.SECURITY_ANALYST);
    StaffClient.Reply noStaff = analyst.get(world.base(), "/v1/scope?from=2026-01-01&to=2026-01-02");
    assertThat(noStaff.status()).isEqualTo(400);
    assertThat(noStaff.json().get("parameter").asText()).isEqualTo("staff");
    StaffClient.Reply backwards = analyst.get(world.base(), "/v1/scope?staff=a&from=2026-01-02&to=2026-01-01");
    assertThat(backwards.json().get("parameter").asText()).isEqualTo("to");
    StaffClient.Reply format = analyst.get(world.base(), "/v1/scope?staff=a&from=2026-01-01&to=2026-01-02&format=xml");
    assertThat(format.json().get("parameter").asText()).isEqualTo("format");
  }
}
