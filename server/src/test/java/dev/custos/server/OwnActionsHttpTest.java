package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.StaffAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custos carries out its own approved actions (role grant, containment lift, decoy-list read) as
 * soon as the quorum is reached when there is no time-lock; the decoy list is readable only with an
 * executed approval. The policy file makes one approver enough, so one test world (one member of
 * staff per role) can reach quorum; the default catalogue's two-person rules are tested elsewhere.
 */
class OwnActionsHttpTest {
  @TempDir
  static Path temp;
  static CustomerWorld world;

  @BeforeAll
  static void start() throws Exception {
    Path policy = temp.resolve("approvals.policy");
    Files.writeString(policy, """
        decoy-list-read.required = 1
        decoy-list-read.roles = admin
        role-grant.required = 1
        containment-lift.required = 1
        containment-lift.roles = security-analyst
        """);
    world = new CustomerWorld(temp.resolve("w"), Containment.Settings.defaults(),
        Map.of("approvals.policy-file", policy.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  static StaffClient as(Role role) throws Exception {
    return world.login(world.staff.get(role));
  }

  /** Approves {@code id} as {@code role} and waits (bounded) until the server executed it. */
  static JsonNode approveAndAwaitExecution(StaffClient requester, String id, String hash, Role role) throws Exception {
    StaffClient.Reply approved = as(role).post(world.base(), "/v1/approvals/" + id + "/approve", Map.of("bindingHash", hash));
    assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    JsonNode r;
    do {
      Thread.sleep(50);
      r = requester.get(world.base(), "/v1/approvals/" + id).json();
    } while (!r.get("state").asText().equals("executed") && Instant.now().isBefore(deadline));
    return r;
  }

  @Test
  void theDecoyList_needsAnExecutedDecoyListReadRequest_ofTheReader() throws Exception {
    StaffClient security = as(Role.SECURITY_ANALYST);
    StaffClient.Reply refused = security.get(world.base(), "/v1/decoys");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().get("detail").asText()).contains("decoy-list-read");

    StaffClient.Reply made = security.post(world.base(), "/v1/approvals",
        Map.of("action", "decoy-list-read", "parameters", Map.of("why", "incident 7: was a decoy in the leak?")));
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    JsonNode done = approveAndAwaitExecution(security, made.json().get("id").asText(),
        made.json().get("bindingHash").asText(), Role.ADMINISTRATOR);
    assertThat(done.get("state").asText()).isEqualTo("executed");

    StaffClient.Reply list = security.get(world.base(), "/v1/decoys");
    assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
    assertThat(list.json().get("decoys")).isNotEmpty();
    assertThat(as(Role.ADMINISTRATOR).get(world.base(), "/v1/decoys").status())
        .as("the approver gains nothing from approving").isEqualTo(403);
  }

  @Test
  void anApprovedRoleGrant_isAppliedByCustos_onceAndRecorded() throws Exception {
    StaffId target = world.staff.get(Role.AUDITOR);
    StaffClient admin = as(Role.ADMINISTRATOR);
    StaffClient.Reply made = admin.post(world.base(), "/v1/approvals",
        Map.of("action", "role-grant", "parameters", Map.of("staff", target.value(), "role", "fraud-analyst")));
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    JsonNode done = approveAndAwaitExecution(admin, made.json().get("id").asText(), made.json().get("bindingHash").asText(),
        Role.SECURITY_ANALYST);
    assertThat(done.get("state").asText()).isEqualTo("executed");
    StaffAccount account = world.custos.identity().directory.find(target).orElseThrow();
    assertThat(account.roles()).contains(Role.AUDITOR, Role.FRAUD_ANALYST);
  }

  @Test
  void anApprovedContainmentLift_restoresThePerson() throws Exception {
    StaffId target = world.staff.get(Role.KYC_REVIEWER);
    StaffClient security = as(Role.SECURITY_ANALYST);
    assertThat(security.post(world.base(), "/v1/staff/" + target.value() + "/suspend",
        Map.of("reason", "test: contained")).status()).isEqualTo(200);
    StaffClient admin = as(Role.ADMINISTRATOR);
    StaffClient.Reply made = admin.post(world.base(), "/v1/approvals", Map.of("action", "containment-lift",
        "parameters", Map.of("staff", target.value(), "reason", "the alert was a false positive: shared ticket")));
    assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
    JsonNode done = approveAndAwaitExecution(admin, made.json().get("id").asText(), made.json().get("bindingHash").asText(),
        Role.SECURITY_ANALYST);
    assertThat(done.get("state").asText()).isEqualTo("executed");
    assertThat(world.custos.identity().directory.find(target).orElseThrow().isActive()).isTrue();
  }

  @Test
  void ownActions_withUnusableParameters_areRefusedWhenRequested_namingTheParameter() throws Exception {
    StaffClient admin = as(Role.ADMINISTRATOR);
    StaffClient.Reply noRole = admin.post(world.base(), "/v1/approvals",
        Map.of("action", "role-grant", "parameters", Map.of("staff", "someone")));
    assertThat(noRole.status()).isEqualTo(400);
    assertThat(noRole.json().get("field").asText()).isEqualTo("parameters.role");
    StaffClient.Reply badRole = admin.post(world.base(), "/v1/approvals",
        Map.of("action", "role-grant", "parameters", Map.of("staff", "someone", "role", "king")));
    assertThat(badRole.status()).isEqualTo(400);
    StaffClient.Reply verdict = admin.post(world.base(), "/v1/approvals", Map.of("action", "break-glass-review",
        "parameters", Map.of("use", "1", "verdict", "fine", "note", "checked the ticket history")));
    assertThat(verdict.json().get("field").asText()).isEqualTo("parameters.verdict");
  }

  @Test
  void aSecondAccountOfTheRequester_linkedToTheSamePerson_cannotApprove() throws Exception {
    StaffId requester = world.staff.get(Role.SUPPORT_L2);
    StaffId second = world.staff.get(Role.SECURITY_ANALYST);
    StaffClient admin = as(Role.ADMINISTRATOR);
    StaffClient.Reply linked = admin.put(world.base(), "/v1/staff/" + requester.value() + "/person", Map.of("person", "E-7"));
    assertThat(linked.status()).as(linked.raw().body()).isEqualTo(200);
    assertThat(admin.put(world.base(), "/v1/staff/" + second.value() + "/person", Map.of("person", "E-7")).status())
        .isEqualTo(200);
    assertThat(admin.put(world.base(), "/v1/staff/" + second.value() + "/person", Map.of("person", " E-7")).json()
        .get("field").asText()).isEqualTo("person");
    assertThat(as(Role.SECURITY_ANALYST).put(world.base(), "/v1/staff/" + second.value() + "/person",
        Map.of("person", "E-8")).status()).as("only administrators link accounts").isEqualTo(403);
    try {
      StaffClient.Reply made = as(Role.SUPPORT_L2).post(world.base(), "/v1/approvals", Map.of("action", "role-grant",
          "parameters", Map.of("staff", world.staff.get(Role.AUDITOR).value(), "role", "kyc-reviewer")));
      assertThat(made.status()).as(made.raw().body()).isEqualTo(201);
      String path = "/v1/approvals/" + made.json().get("id").asText() + "/approve";
      Map<String, String> hash = Map.of("bindingHash", made.json().get("bindingHash").asText());
      StaffClient.Reply self = as(Role.SECURITY_ANALYST).post(world.base(), path, hash);
      assertThat(self.status()).as(self.raw().body()).isEqualTo(409);
      assertThat(self.json().get("field").asText()).isEqualTo("approver");

      admin.put(world.base(), "/v1/staff/" + second.value() + "/person", java.util.Collections.singletonMap("person", null));
      assertThat(as(Role.SECURITY_ANALYST).post(world.base(), path, hash).status())
          .as("once the link is gone the account is its own person again").isEqualTo(200);
    } finally {
      admin.put(world.base(), "/v1/staff/" + requester.value() + "/person", java.util.Collections.singletonMap("person", null));
    }
  }
}
