package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertSettingsConfigTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.load(Map.of(), env, null, dir);
  }

  @Test
  void byDefault_alertsGoNowhereButTheStore() throws Exception {
    assertThat(load(Map.of()).alerts()).isEqualTo(AlertSettings.none());
  }

  @Test
  void allDestinations_areRead() throws Exception {
    AlertSettings a = load(Map.of("CUSTOS_ALERTS_WEBHOOK_URL", "https://soar.example.com/hooks/custos",
        "CUSTOS_ALERTS_WEBHOOK_SECRET_FILE", "secrets/webhook", "CUSTOS_ALERTS_OCSF_FILE", "alerts.jsonl",
        "CUSTOS_ALERTS_SYSLOG_ADDRESS", "siem.example.com:6514")).alerts();
    assertThat(a.webhookUrl()).contains(URI.create("https://soar.example.com/hooks/custos"));
    assertThat(a.webhookSecretFile()).contains(dir.resolve("secrets/webhook"));
    assertThat(a.ocsfFile()).contains(dir.resolve("alerts.jsonl"));
    assertThat(a.syslog()).contains(new AlertSettings.SyslogAddress("siem.example.com", 6514));
  }

  @Test
  void anIpv6SyslogAddress_isReadInBrackets() throws Exception {
    assertThat(load(Map.of("CUSTOS_ALERTS_SYSLOG_ADDRESS", "[fd00::7]:514")).alerts().syslog())
        .contains(new AlertSettings.SyslogAddress("fd00::7", 514));
  }

  @Test
  void aPlainHttpWebhookToAnotherHost_isRefused_namingTheKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ALERTS_WEBHOOK_URL", "http://soar.example.com/hook",
        "CUSTOS_ALERTS_WEBHOOK_SECRET_FILE", "s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.webhook.url").hasMessageContaining("https");
  }

  @Test
  void aPlainHttpWebhookOnLoopback_isAccepted() throws Exception {
    assertThat(load(Map.of("CUSTOS_ALERTS_WEBHOOK_URL", "http://127.0.0.1:9000/hook", "CUSTOS_ALERTS_WEBHOOK_SECRET_FILE", "s"))
        .alerts().webhookUrl()).isPresent();
  }

  @Test
  void aWebhookUrlWithCredentials_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ALERTS_WEBHOOK_URL", "https://u:p@soar.example.com/hook",
        "CUSTOS_ALERTS_WEBHOOK_SECRET_FILE", "s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.webhook.url");
  }

  @Test
  void aWebhookWithoutItsSecretFile_isRefused_namingTheSecretKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ALERTS_WEBHOOK_URL", "https://soar.example.com/hook")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).getMessage()).contains("alerts.webhook.secret-file is required"));
  }

  @Test
  void aSecretFileWithoutAWebhook_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ALERTS_WEBHOOK_SECRET_FILE", "s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.webhook.url is empty");
  }

  @Test
  void aSyslogAddressWithoutPortOrWithPortZero_isRefused_namingTheKey() {
    for (String bad : new String[] {"siem.example.com", "siem.example.com:0", "siem:70000", "fd00::7:514", "siem:x"}) {
      assertThatThrownBy(() -> load(Map.of("CUSTOS_ALERTS_SYSLOG_ADDRESS", bad)))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("alerts.syslog.address");
    }
  }

  @Test
  void describe_printsTheAlertDestinations_soConfigPrintRoundTrips() throws Exception {
    CustosConfig c = load(Map.of("CUSTOS_ALERTS_OCSF_FILE", "alerts.jsonl", "CUSTOS_ALERTS_SYSLOG_ADDRESS", "[fd00::7]:514"));
    assertThat(c.describe()).contains("alerts.ocsf.file: \"" + dir.resolve("alerts.jsonl") + "\"")
        .contains("alerts.syslog.address: \"[fd00::7]:514\"").contains("alerts.webhook.url: \"\"");
  }
}
