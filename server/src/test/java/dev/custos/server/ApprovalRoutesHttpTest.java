package dev.custos.server;

import static dev.custos.server.CustomerWorld.ADA;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.approval.ApprovalCatalogue;
import dev.custos.approval.SensitiveAction;
import dev.custos.identity.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals and the withdrawal policy over HTTP: who may approve what (every role against a role
 * grant), separation of duties by team, the binding hash, ledger entries without customer ids, and
 * the wallet service's evaluate route with its scope and named fields.
 */
class ApprovalRoutesHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

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

  @Test
  void everyRole_mayApproveARoleGrantOnlyIfThePolicyNamesIt_andNeverItsOwn() throws Exception {
    StaffClient requester = as(Role.SUPPORT_L2);
    StaffClient.Reply made = requester.post(world.base(), "/v1/approvals",
        Map.of("action", "role-grant", "parameters", Map.of("staff", "staff-support-l1", "role", "approver")));
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    String id = made.json().get("id").asText();
    String hash = made.json().get("bindingHash").asText();
    Set<Role> eligible = ApprovalCatalogue.defaults().policy(SensitiveAction.ROLE_GRANT).approverRoles();
    int approvals = 0;
    for (Role role : Role.values()) {
      StaffClient.Reply r = as(role).post(world.base(), "/v1/approvals/" + id + "/approve", Map.of("bindingHash", hash));
      if (eligible.contains(role)) {
        assertThat(r.status()).as("%s approves: %s", role.wireName(), r.raw().body()).isEqualTo(200);
        approvals++;
      } else {
        assertThat(r.status()).as("%s approves", role.wireName()).isEqualTo(409);
        assertThat(r.json().get("field").asText()).isIn("approver", "state");
      }
    }
    assertThat(approvals).isEqualTo(2);
    JsonNode after = requester.get(world.base(), "/v1/approvals/" + id).json();
    // A role grant has no time-lock: Custos carries it out at once, so the request may be past "approved" already.
    assertThat(after.get("state").asText()).isIn("approved", "time-locked", "executed");
    assertThat(after.get("approvals")).hasSize(2);
  }

  @Test
  void aTwoFactorReset_isNotApprovedFromTheRequestersOwnTeam_andTheLedgerNamesNoCustomer() throws Exception {
    StaffClient agent = as(Role.SUPPORT_L1);
    StaffClient.Reply made = agent.post(world.base(), "/v1/approvals",
        Map.of("action", "2fa-reset", "customer", ADA.value(), "parameters", Map.of("reason", "lost phone")));
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    StaffClient.Reply r = as(Role.APPROVER).post(world.base(), "/v1/approvals/" + made.json().get("id").asText()
        + "/approve", Map.of("bindingHash", made.json().get("bindingHash").asText()));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("detail").asText()).contains("team");
    long index = r.json().get("ledgerIndex").asLong();
    world.custos.ledger().publish();
    String entry = new String(world.custos.ledger().entry(index), StandardCharsets.UTF_8);
    assertThat(entry).contains("custos.approval/v1", "\"outcome\":\"refused\"").doesNotContain(ADA.value());
  }

  @Test
  void approvingOtherContentThanStored_isRefusedNamingTheBindingHash() throws Exception {
    StaffClient.Reply made = as(Role.SUPPORT_L2).post(world.base(), "/v1/approvals",
        Map.of("action", "decoy-list-read", "parameters", Map.of("why", "audit")));
    StaffClient.Reply r = as(Role.SECURITY_ANALYST).post(world.base(), "/v1/approvals/" + made.json().get("id").asText()
        + "/approve", Map.of("bindingHash", "0".repeat(64)));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("field").asText()).isEqualTo("bindingHash");
  }

  @Test
  void badInput_namesTheField() throws Exception {
    StaffClient c = as(Role.SUPPORT_L1);
    assertThat(c.post(world.base(), "/v1/approvals", Map.of("action", "launch-rockets")).json().get("field").asText())
        .isEqualTo("action");
    assertThat(c.post(world.base(), "/v1/approvals", Map.of("action", "email-change")).json().get("field").asText())
        .isEqualTo("customer");
    assertThat(c.get(world.base(), "/v1/approvals?mine=true&state=nope").status()).isEqualTo(400);
    assertThat(c.get(world.base(), "/v1/approvals").status()).isEqualTo(403);
    assertThat(c.get(world.base(), "/v1/approvals?mine=true").status()).isEqualTo(200);
  }

  private static HttpResponse<String> evaluate(String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.base() + "/v1/withdrawals/evaluate"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withdrawalEvaluate_needsItsScope_namesBadFields_andBlocksAnAddressNeverWhitelisted() throws Exception {
    String wallet = world.custos.serviceTokens().issue("wallet", Set.of(Scope.WITHDRAWALS_EVALUATE), Optional.empty())
        .revealText();
    String body = "{\"account\":\"cust-ada\",\"asset\":\"BTC\",\"amount\":\"0.5\",\"destination\":\"bc1qnew\"}";
    assertThat(evaluate(null, body).statusCode()).isEqualTo(401);
    assertThat(evaluate(world.token, body).statusCode()).isEqualTo(403);
    HttpResponse<String> bad = evaluate(wallet, body.replace("\"0.5\"", "\"half\""));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.MAPPER.readTree(bad.body()).get("field").asText()).isEqualTo("amount");

    HttpResponse<String> ok = evaluate(wallet, body);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    JsonNode d = Json.MAPPER.readTree(ok.body());
    assertThat(d.get("decision").asText()).isEqualTo("block");
    assertThat(d.get("rules").get(0).get("rule").asText()).isEqualTo("destination-not-whitelisted");
  }
}
