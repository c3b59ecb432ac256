package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.ADA_EMAIL;
import static dev.custos.server.CustomerWorld.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.incident.WatermarkCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leak attribution over HTTP: an agent views Ada under a ticket, another views Bob; a leaked sample
 * naming Ada by e-mail is attributed to the first agent and their session, the attribution is a
 * ledger entry without personal data, a watermark names the session, and bad input names its field;
 * a sample naming Ada only by her name is matched among the customers seen, after a recorded read.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttributionRoutesHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static StaffId agent;
  static String session;

  @BeforeAll
  static void start() throws Exception {
    world = new CustomerWorld(temp);
    agent = world.staff.get(Role.SUPPORT_L1);
    assertThat(world.ticket("assigned", "T-ada", ADA, agent, "open", false).statusCode()).isEqualTo(200);
    assertThat(world.ticket("assigned", "T-bob", BOB, world.otherAgent, "open", false).statusCode()).isEqualTo(200);
    assertThat(world.login(agent).get(world.base(), "/v1/customers/" + ADA.value() + "?ticket=T-ada").status()).isEqualTo(200);
    assertThat(world.login(world.otherAgent).get(world.base(), "/v1/customers/" + BOB.value() + "?ticket=T-bob").status())
        .isEqualTo(200);
    world.custos.ledger().publish();
    long size = world.custos.ledger().latestCheckpoint().checkpoint().size();
    for (long i = 0; i < size; i++) {
      JsonNode e = Json.MAPPER.readTree(world.custos.ledger().entry(i));
      if ("custos.access/v1".equals(e.path("kind").asText()) && agent.value().equals(e.path("staff").asText())) {
        session = e.path("session").asText();
      }
    }
    assertThat(session).isNotBlank();
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  private static StaffClient analyst() throws Exception {
    return world.login(world.staff.get(Role.SECURITY_ANALYST));
  }

  private static long ledgerSize() throws Exception {
    world.custos.ledger().publish();
    return world.custos.ledger().latestCheckpoint().checkpoint().size();
  }

  private static String entry(long index) throws Exception {
    world.custos.ledger().publish();
    return new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void onlySecurityAnalysts_mayAttribute() throws Exception {
    for (Role role : Role.values()) {
      int status = world.login(world.staff.get(role)).post(world.base(), "/v1/incidents/inc-1/attribute", Map.of()).status();
      assertThat(status).as("attribute as %s", role.wireName()).isEqualTo(role == Role.SECURITY_ANALYST ? 400 : 403);
    }
  }

  @Test
  @Order(2)
  void aLeakedEmail_isAttributedToTheAgentAndSessionThatSawIt_andRecordedWithoutPersonalData() throws Exception {
    StaffClient.Reply r = analyst().post(world.base(), "/v1/incidents/inc-1/attribute",
        Map.of("sample", "email,balances\n" + ADA_EMAIL.toUpperCase() + ",12000\nnobody@example.com,5\n"));
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("incident").asText()).isEqualTo("inc-1");
    assertThat(body.path("sample").path("matched").asInt()).isEqualTo(1);
    assertThat(body.path("sample").path("unresolved").get(0).path("line").asInt()).isEqualTo(3);
    JsonNode first = body.path("staff").get(0);
    assertThat(first.path("staff").asText()).isEqualTo(agent.value());
    assertThat(first.path("explained").asInt()).isZero(); // the clear e-mail needs a reveal; a view showed it masked
    assertThat(first.path("accessedOnly").asInt()).isEqualTo(1);
    assertThat(body.path("sessions").get(0).path("session").asText()).isEqualTo(session);
    String recorded = entry(body.path("ledgerIndex").asLong());
    assertThat(recorded).contains("\"kind\":\"custos.incident/v1\"", "\"event\":\"attributed\"", "\"incident\":\"inc-1\"",
        "\"by\":\"" + world.staff.get(Role.SECURITY_ANALYST).value() + "\"", "\"records\":2", "\"matched\":1");
    // The entry's hashes (customers_sha256 over random commitments) are random hex, which holds "ada" in about
    // 1 run in 65, and its time may hold "12000": both are taken out before the personal data is looked for.
    String withoutHashesAndTime = recorded.replaceAll("\"[0-9a-f]{64}\"", "\"<sha256>\"")
        .replaceAll("\"at\":\"[^\"]*\"", "\"at\":\"<time>\"");
    assertThat(withoutHashesAndTime).contains("\"<sha256>\"", "\"at\":\"<time>\"")
        .doesNotContain("ada", "lovelace", "example.com", "12000", ADA.value());
  }

  @Test
  @Order(3)
  void aLeakedCustomerId_isExplainedByTheView() throws Exception {
    StaffClient.Reply r = analyst().post(world.base(), "/v1/attribution",
        Map.of("sample", "{\"customer_id\":\"" + ADA.value() + "\"}\n"));
    assertThat(r.status()).isEqualTo(200);
    JsonNode first = r.json().path("staff").get(0);
    assertThat(first.path("staff").asText()).isEqualTo(agent.value());
    assertThat(first.path("explained").asInt()).isEqualTo(1);
    assertThat(first.path("explainedLines").get(0).asInt()).isEqualTo(1);
    assertThat(r.json().path("incident").asText()).isEqualTo("-");
  }

  @Test
  @Order(4)
  void aWatermarkCode_namesTheSessionWithCertainty() throws Exception {
    StaffClient.Reply r = analyst().post(world.base(), "/v1/incidents/inc-1/attribute",
        Map.of("watermarks", List.of(WatermarkCode.of(session).toLowerCase())));
    assertThat(r.status()).isEqualTo(200);
    JsonNode s = r.json().path("sessions").get(0);
    assertThat(s.path("session").asText()).isEqualTo(session);
    assertThat(s.path("certain").asBoolean()).isTrue();
    assertThat(s.path("evidence").get(0).path("type").asText()).isEqualTo("watermark");
    assertThat(r.json().path("staff").get(0).path("staff").asText()).isEqualTo(agent.value());
  }

  @Test
  @Order(5)
  void badInput_isRefusedNamingTheFieldAndTheSamplesLine() throws Exception {
    StaffClient.Reply badLine = analyst().post(world.base(), "/v1/incidents/inc-1/attribute",
        Map.of("sample", "{\"email\":\"a@b.c\"}\n{\"email\":\n"));
    assertThat(badLine.status()).isEqualTo(400);
    assertThat(badLine.json().path("field").asText()).isEqualTo("sample");
    assertThat(badLine.json().path("detail").asText()).startsWith("sample line 2:");
    StaffClient.Reply badCode = analyst().post(world.base(), "/v1/incidents/inc-1/attribute",
        Map.of("watermarks", List.of("UUUU-UUUU")));
    assertThat(badCode.status()).isEqualTo(400);
    assertThat(badCode.json().path("field").asText()).isEqualTo("watermarks");
    StaffClient.Reply badWindow = analyst().post(world.base(), "/v1/incidents/inc-1/attribute",
        Map.of("sample", "customer_id\n" + ADA.value() + "\n", "from", "yesterday"));
    assertThat(badWindow.json().path("field").asText()).isEqualTo("from");
    StaffClient.Reply badId = analyst().post(world.base(), "/v1/incidents/%20/attribute",
        Map.of("sample", "customer_id\n" + ADA.value() + "\n"));
    assertThat(badId.status()).isEqualTo(400);
    StaffClient.Reply nothing = analyst().post(world.base(), "/v1/incidents/inc-1/attribute",
        Map.of("sample", "name\nGrace Hopper\n"));
    assertThat(nothing.status()).isEqualTo(400);
    assertThat(nothing.json().path("detail").asText()).contains("1 unresolved");
  }

  @Test
  @Order(6)
  void aNamesOnlySample_isMatchedAmongTheCustomersSeen_rankingTheViewerFirst_andTheNamesReadAreRecordedWithoutNames()
      throws Exception {
    long before = ledgerSize();
    StaffClient.Reply r = analyst().post(world.base(), "/v1/incidents/inc-names/attribute",
        Map.of("sample", "name,tier\n\"LOVELACE, Ádá\",gold\nNobody Known,silver\nA. L***,gold\n"));
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.path("sample").path("matched").asInt()).isEqualTo(1);
    assertThat(body.path("sample").path("matchedByName").asInt()).isEqualTo(1);
    assertThat(body.path("sample").path("unresolved")).hasSize(2);
    assertThat(body.path("sample").path("unresolved").get(0).path("reason").asText())
        .startsWith("the name matches none of the").doesNotContain("Nobody");
    assertThat(body.path("staff").get(0).path("staff").asText()).isEqualTo(agent.value());
    assertThat(body.path("staff").get(0).path("accessedOnly").asInt()).isEqualTo(1); // the view showed the name masked
    assertThat(body.path("sessions").get(0).path("session").asText()).isEqualTo(session);
    long attributed = body.path("ledgerIndex").asLong();
    JsonNode read = null;
    for (long i = before; i < attributed; i++) {
      JsonNode e = Json.MAPPER.readTree(entry(i));
      if ("customers.read".equals(e.path("event").asText()) && "attribution".equals(e.path("purpose").asText())) {
        read = e;
        assertThat(entry(i)).doesNotContain("Ada", "Lovelace", "Bob", "Babbage", ADA.value(), BOB.value());
      }
    }
    assertThat(read).as("a customers.read entry before the attribution").isNotNull();
    assertThat(read.path("kind").asText()).isEqualTo("custos.incident/v1");
    assertThat(read.path("incident").asText()).isEqualTo("inc-names");
    assertThat(read.path("by").asText()).isEqualTo(world.staff.get(Role.SECURITY_ANALYST).value());
    assertThat(read.path("fields").toString()).isEqualTo("[\"name\"]");
    assertThat(read.path("customers").asLong()).isGreaterThanOrEqualTo(2); // Ada and Bob, seen by the two agents
    assertThat(read.path("customers_sha256").asText()).hasSize(64);
    String recorded = entry(attributed);
    assertThat(recorded).contains("\"matched_by_name\":1").doesNotContain("Ada", "Lovelace", "Nobody");
  }

  @Test
  @Order(7)
  void aSampleWithoutNamesToMatch_readsNoName() throws Exception {
    long before = ledgerSize();
    StaffClient.Reply r = analyst().post(world.base(), "/v1/attribution",
        Map.of("sample", "customer_id,name\n" + ADA.value() + ",A. L***\n"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("sample").path("matchedByName").asInt()).isZero();
    for (long i = before; i < r.json().path("ledgerIndex").asLong(); i++) {
      assertThat(entry(i)).doesNotContain("\"purpose\":\"attribution\"");
    }
  }
}
