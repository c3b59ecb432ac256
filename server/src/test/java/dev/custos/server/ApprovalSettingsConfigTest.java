package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.approval.SensitiveAction;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalSettingsConfigTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.load(Map.of(), env, null, dir);
  }

  @Test
  void byDefault_theDefaultCatalogueAndRules_andNoWebhook() throws Exception {
    assertThat(load(Map.of()).approvals()).isEqualTo(ApprovalSettings.defaults());
  }

  @Test
  void aPolicyFile_overridesTheDefaults() throws Exception {
    Files.writeString(dir.resolve("approvals.policy"), "2fa-reset.required = 3\nwithdrawals.whitelist-min-age = 12h\n");
    ApprovalSettings a = load(Map.of("CUSTOS_APPROVALS_POLICY_FILE", "approvals.policy")).approvals();
    assertThat(a.policyFile()).contains(dir.resolve("approvals.policy"));
    assertThat(a.policy().catalogue().policy(SensitiveAction.TWO_FACTOR_RESET).required()).isEqualTo(3);
    assertThat(a.policy().withdrawals().whitelistMinAge()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void aBadPolicyFile_isRefused_namingTheKeyTheFileAndTheLine() throws Exception {
    Files.writeString(dir.resolve("approvals.policy"), "# ok\n2fa-reset.required = 0\n");
    assertThatThrownBy(() -> load(Map.of("CUSTOS_APPROVALS_POLICY_FILE", "approvals.policy")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("approvals.policy-file").hasMessageContaining("approvals.policy: line 2 (2fa-reset.required)");
  }

  @Test
  void aMissingPolicyFile_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_APPROVALS_POLICY_FILE", "nowhere.policy")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("approvals.policy-file").hasMessageContaining("no such file");
  }

  @Test
  void theWebhook_needsItsSecretFile_andHttpsOffThisMachine() throws Exception {
    assertThat(load(Map.of("CUSTOS_APPROVALS_WEBHOOK_URL", "https://backend.example.com/custos",
        "CUSTOS_APPROVALS_WEBHOOK_SECRET_FILE", "s")).approvals().webhookUrl())
        .contains(URI.create("https://backend.example.com/custos"));
    assertThatThrownBy(() -> load(Map.of("CUSTOS_APPROVALS_WEBHOOK_URL", "https://backend.example.com/custos")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("approvals.webhook.secret-file is required");
    assertThatThrownBy(() -> load(Map.of("CUSTOS_APPROVALS_WEBHOOK_URL", "http://backend.example.com/custos",
        "CUSTOS_APPROVALS_WEBHOOK_SECRET_FILE", "s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("approvals.webhook.url");
  }

  @Test
  void describe_printsTheApprovalSettings() throws Exception {
    assertThat(load(Map.of("CUSTOS_APPROVALS_WEBHOOK_URL", "http://127.0.0.1:9/x", "CUSTOS_APPROVALS_WEBHOOK_SECRET_FILE",
        "s")).describe()).contains("approvals.webhook.url: \"http://127.0.0.1:9/x\"").contains("approvals.policy-file: \"\"");
  }
}
