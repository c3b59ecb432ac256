package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static dev.custos.server.CustomerWorld.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
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
 * Cases and the break-glass review queue over HTTP: who may open, approve, close and review, that
 * every action is a ledger entry without customer ids, and that bad input names its field.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseRoutesHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  static final String REASON = "customer reported fraud on the phone, checking the account now";
  static final String NOTE = "checked the call recording: the customer did call about fraud";

  @BeforeAll
  static void start() throws Exception {
    world = new CustomerWorld(temp);
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

  private static String entry(long index) throws Exception {
    world.custos.ledger().publish();
    return new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void everyRole_reachesOnlyTheCaseAndReviewRoutesItsRoleAllows() throws Exception {
    for (Role role : Role.values()) {
      StaffClient c = as(role);
      // An empty body: an allowed role gets 400 naming a field, nothing is written.
      int open = c.post(world.base(), "/v1/cases", Map.of()).status();
      assertThat(open).as("open a case as %s", role.wireName())
          .isEqualTo(CaseRoutes.OPENERS.contains(role) ? 400 : 403);
      int approve = c.post(world.base(), "/v1/cases/case-nobody/approve", null).status();
      assertThat(approve).as("approve as %s", role.wireName())
          .isEqualTo(CaseRoutes.APPROVERS.contains(role) ? 404 : 403);
      int queue = c.get(world.base(), "/v1/break-glass").status();
      assertThat(queue).as("the break-glass queue as %s", role.wireName())
          .isEqualTo(role == Role.SECURITY_ANALYST ? 200 : 403);
      int review = c.post(world.base(), "/v1/break-glass/999999/review", Map.of("verdict", "justified", "note", NOTE))
          .status();
      assertThat(review).as("review as %s", role.wireName()).isEqualTo(role == Role.SECURITY_ANALYST ? 404 : 403);
    }
  }

  @Test
  @Order(2)
  void openCase_badInput_isRefusedNamingTheField() throws Exception {
    StaffClient lead = as(Role.SUPPORT_L2);
    StaffClient.Reply noTitle = lead.post(world.base(), "/v1/cases", Map.of("customers", List.of(ADA.value())));
    assertThat(noTitle.status()).isEqualTo(400);
    assertThat(noTitle.json().path("field").asText()).isEqualTo("title");
    StaffClient.Reply badCustomer = lead.post(world.base(), "/v1/cases",
        Map.of("title", "ring", "customers", List.of(ADA.value(), "not a customer id")));
    assertThat(badCustomer.status()).isEqualTo(400);
    assertThat(badCustomer.json().path("field").asText()).isEqualTo("customers[1]");
    StaffClient.Reply massAssignment = lead.post(world.base(), "/v1/cases",
        Map.of("title", "ring", "customers", List.of(ADA.value()), "approved", true));
    assertThat(massAssignment.status()).isEqualTo(400);
    assertThat(massAssignment.json().path("field").asText()).isEqualTo("approved");
    StaffClient.Reply tooLong = lead.post(world.base(), "/v1/cases",
        Map.of("title", "ring", "customers", List.of(ADA.value()), "days", 31));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().path("field").asText()).isEqualTo("days");
    assertThat(noTitle.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
  }

  @Test
  @Order(3)
  void case_isAPurposeOnlyAfterAnotherLeadApproves_andEndsWhenClosed_eachStepInTheLedger() throws Exception {
    StaffClient lead = as(Role.SUPPORT_L2);
    StaffId member = world.staff.get(Role.KYC_REVIEWER);
    StaffClient.Reply opened = lead.post(world.base(), "/v1/cases", Map.of("id", "case-ring-1",
        "title", "account takeover ring", "customers", List.of(ADA.value()), "members", List.of(member.value())));
    assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
    assertThat(opened.json().path("approved").asBoolean()).isFalse();
    assertThat(entry(opened.json().path("ledgerIndex").asLong())).contains("\"kind\":\"custos.case/v1\"")
        .contains("\"action\":\"open\"").contains("\"outcome\":\"done\"").doesNotContain(ADA.value())
        .doesNotContain("takeover");

    StaffClient kyc = world.login(member);
    assertThat(kyc.get(world.base(), "/v1/customers/" + ADA.value() + "?case=case-ring-1").status())
        .as("not approved yet").isEqualTo(403);

    StaffClient.Reply own = lead.post(world.base(), "/v1/cases/case-ring-1/approve", null);
    assertThat(own.status()).isEqualTo(409);
    assertThat(entry(own.json().path("ledgerIndex").asLong())).contains("\"action\":\"approve\"")
        .contains("\"outcome\":\"refused\"");

    StaffClient.Reply approved = as(Role.SECURITY_ANALYST).post(world.base(), "/v1/cases/case-ring-1/approve", null);
    assertThat(approved.status()).isEqualTo(200);
    assertThat(approved.json().path("approved").asBoolean()).isTrue();
    assertThat(approved.json().path("approvedBy").asText()).isEqualTo(world.staff.get(Role.SECURITY_ANALYST).value());
    assertThat(kyc.get(world.base(), "/v1/customers/" + ADA.value() + "?case=case-ring-1").status()).isEqualTo(200);
    assertThat(kyc.get(world.base(), "/v1/cases/case-ring-1").json().path("customers").get(0).asText())
        .isEqualTo(ADA.value());
    assertThat(as(Role.SUPPORT_L1).get(world.base(), "/v1/cases/case-ring-1").status())
        .as("not a member").isEqualTo(404);

    assertThat(as(Role.SUPPORT_L1).post(world.base(), "/v1/cases/case-ring-1/close", null).status())
        .as("a non-member may not close it").isEqualTo(409);
    StaffClient.Reply closed = kyc.post(world.base(), "/v1/cases/case-ring-1/close", null);
    assertThat(closed.status()).isEqualTo(200);
    assertThat(closed.json().has("closedAt")).isTrue();
    assertThat(entry(closed.json().path("ledgerIndex").asLong())).contains("\"action\":\"close\"");
    assertThat(kyc.get(world.base(), "/v1/customers/" + ADA.value() + "?case=case-ring-1").status())
        .as("closed").isEqualTo(403);
  }

  @Test
  @Order(4)
  void breakGlass_isQueued_andReviewedOnceBySomeoneOtherThanItsUser_withTheReviewInTheLedger() throws Exception {
    StaffClient l2 = as(Role.SUPPORT_L2);
    assertThat(l2.post(world.base(), "/v1/access/break-glass", Map.of("customer", BOB.value(), "reason", REASON))
        .status()).isEqualTo(200);
    StaffClient security = as(Role.SECURITY_ANALYST);
    assertThat(security.post(world.base(), "/v1/access/break-glass", Map.of("customer", ADA.value(), "reason", REASON))
        .status()).isEqualTo(200);

    JsonNode pending = security.get(world.base(), "/v1/break-glass").json().path("pending");
    long l2Use = -1;
    long ownUse = -1;
    for (JsonNode u : pending) {
      if (u.path("staff").asText().equals(world.staff.get(Role.SUPPORT_L2).value())) {
        l2Use = u.path("id").asLong();
        assertThat(u.path("customer").asText()).isEqualTo(BOB.value());
        assertThat(u.path("reason").asText()).isEqualTo(REASON);
      } else if (u.path("staff").asText().equals(world.staff.get(Role.SECURITY_ANALYST).value())) {
        ownUse = u.path("id").asLong();
      }
    }
    assertThat(l2Use).isPositive();
    assertThat(ownUse).isPositive();

    StaffClient.Reply self = security.post(world.base(), "/v1/break-glass/" + ownUse + "/review",
        Map.of("verdict", "justified", "note", NOTE));
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().path("field").asText()).isEqualTo("reviewer");

    StaffClient.Reply badVerdict = security.post(world.base(), "/v1/break-glass/" + l2Use + "/review",
        Map.of("verdict", "fine", "note", NOTE));
    assertThat(badVerdict.status()).isEqualTo(400);
    assertThat(badVerdict.json().path("field").asText()).isEqualTo("verdict");
    StaffClient.Reply shortNote = security.post(world.base(), "/v1/break-glass/" + l2Use + "/review",
        Map.of("verdict", "justified", "note", "ok"));
    assertThat(shortNote.status()).isEqualTo(400);
    assertThat(shortNote.json().path("field").asText()).isEqualTo("note");

    StaffClient.Reply reviewed = security.post(world.base(), "/v1/break-glass/" + l2Use + "/review",
        Map.of("verdict", "unjustified", "note", NOTE));
    assertThat(reviewed.status()).isEqualTo(200);
    assertThat(reviewed.json().path("verdict").asText()).isEqualTo("unjustified");
    assertThat(entry(reviewed.json().path("ledgerIndex").asLong()))
        .contains("\"kind\":\"custos.break-glass-review/v1\"").contains("\"verdict\":\"unjustified\"")
        .contains("\"note_sha256\"").doesNotContain(NOTE).doesNotContain(BOB.value());

    StaffClient.Reply again = security.post(world.base(), "/v1/break-glass/" + l2Use + "/review",
        Map.of("verdict", "justified", "note", NOTE));
    assertThat(again.status()).isEqualTo(409);
    JsonNode after = security.get(world.base(), "/v1/break-glass").json().path("pending");
    for (JsonNode u : after) {
      assertThat(u.path("id").asLong()).as("no longer pending").isNotEqualTo(l2Use);
    }
  }

  @Test
  @Order(5)
  void openApi_documentsTheCaseAndReviewRoutes() throws Exception {
    String spec = as(Role.SUPPORT_L1).get(world.base(), "/openapi.json").raw().body();
    assertThat(spec).contains("/v1/cases").contains("/v1/cases/{id}/approve").contains("/v1/cases/{id}/close")
        .contains("/v1/break-glass/{id}/review").contains("openCase").contains("reviewBreakGlass");
  }

  @Test
  @Order(6)
  void staffShift_setBySecurity_isShownAndRecorded_badTextNamesTheField_andAgentsMayNot() throws Exception {
    StaffId agent = world.staff.get(Role.SUPPORT_L1);
    StaffClient security = as(Role.SECURITY_ANALYST);
    StaffClient.Reply set = security.send(world.base(), "PUT", "/v1/staff/" + agent.value() + "/shift",
        Map.of("shift", "mon-fri 22:00-06:00 Europe/Berlin"));
    assertThat(set.status()).as(set.raw().body()).isEqualTo(200);
    assertThat(set.json().path("shift").asText()).isEqualTo("mon,tue,wed,thu,fri 22:00-06:00 Europe/Berlin");
    assertThat(world.custos.identity().directory.find(agent).orElseThrow().shift()).isPresent();
    world.custos.ledger().publish();
    long size = world.custos.ledger().latestCheckpoint().checkpoint().size();
    boolean recorded = false;
    for (long i = 0; i < size; i++) {
      String e = new String(world.custos.ledger().entry(i), StandardCharsets.UTF_8);
      recorded |= e.contains("staff.shift-changed") && e.contains(agent.value()) && e.contains("22:00-06:00");
    }
    assertThat(recorded).as("a staff.shift-changed entry in the ledger").isTrue();

    StaffClient.Reply bad = security.send(world.base(), "PUT", "/v1/staff/" + agent.value() + "/shift",
        Map.of("shift", "weekdays 9 to 5"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().path("field").asText()).isEqualTo("shift");
    assertThat(as(Role.SUPPORT_L1).send(world.base(), "PUT", "/v1/staff/" + agent.value() + "/shift",
        Map.of("shift", "daily 00:00-23:59 UTC")).status()).isEqualTo(403);
    java.util.Map<String, Object> clear = new java.util.HashMap<>();
    clear.put("shift", null);
    StaffClient.Reply cleared = security.send(world.base(), "PUT", "/v1/staff/" + agent.value() + "/shift", clear);
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().has("shift")).isFalse();
  }
}
