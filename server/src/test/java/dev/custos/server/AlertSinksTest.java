package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.detect.Measure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertSinksTest {
  @TempDir
  Path dir;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private AlertSinks sinks(AlertSettings settings) throws StartupException {
    return AlertSinks.from(settings, AlertFixtures.QUICK, "custos-1", InstantSource.fixed(AlertFixtures.AT),
        new SplittableRandom(1), meters, sink -> AlertOutbox.Journal.NONE);
  }

  private Path secret(String text, String mode) throws Exception {
    Path f = dir.resolve("webhook.secret");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    return f;
  }

  private static AlertSettings webhook(Path secret) {
    return new AlertSettings(Optional.of(URI.create("http://127.0.0.1:9/x")), Optional.of(secret), Optional.empty(),
        Optional.empty());
  }

  @Test
  void ocsfFile_getsOneDetectionFindingLinePerAlert_appended() throws Exception {
    Path file = dir.resolve("custos-alerts.ocsf.jsonl");
    Files.writeString(file, "{\"earlier\":true}\n");
    try (AlertSinks s = sinks(new AlertSettings(Optional.empty(), Optional.empty(), Optional.of(file), Optional.empty()))) {
      s.deliver(AlertFixtures.alert("alert-1", Measure.ALERT));
      s.deliver(AlertFixtures.alert("alert-2", Measure.SUSPEND));
      AlertFixtures.await(() -> AlertFixtures.count(meters, "ocsf", "delivered") == 2);
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    JsonNode second = Json.MAPPER.readTree(lines.get(2));
    assertThat(second.get("class_uid").asInt()).isEqualTo(2004);
    assertThat(second.at("/finding_info/uid").asText()).isEqualTo("alert-2");
    assertThat(lines.get(1)).isEqualTo(AlertDocuments.ocsfLine(AlertFixtures.alert("alert-1", Measure.ALERT)));
  }

  @Test
  void noDestination_deliversNowhere_andStartsNoThread() throws Exception {
    try (AlertSinks s = sinks(AlertSettings.none())) {
      s.deliver(AlertFixtures.alert("alert-1", Measure.ALERT));
      assertThat(s.names()).isEmpty();
    }
  }

  @Test
  void aWebhookSecretReadableByOthers_isRefused_namingTheKey() throws Exception {
    Path f = secret("a-long-enough-webhook-secret\n", "rw-r--r--");
    assertThatThrownBy(() -> sinks(webhook(f))).isInstanceOf(StartupException.class)
        .hasMessageStartingWith("alerts.webhook.secret-file: ").hasMessageContaining("chmod 600");
  }

  @Test
  void aShortWebhookSecret_isRefused_namingTheKey_withoutEchoingIt() throws Exception {
    Path f = secret("short-secret\n", "rw-------");
    assertThatThrownBy(() -> sinks(webhook(f))).isInstanceOf(StartupException.class)
        .hasMessageStartingWith("alerts.webhook.secret-file: ").hasMessageContaining("at least 16")
        .hasMessageNotContaining("short-secret");
  }

  @Test
  void aMissingWebhookSecretFile_isRefused_namingTheKey() {
    assertThatThrownBy(() -> sinks(webhook(dir.resolve("nope")))).isInstanceOf(StartupException.class)
        .hasMessageStartingWith("alerts.webhook.secret-file: ").hasMessageContaining("does not exist");
  }

  @Test
  void aGoodWebhookSecret_startsTheWebhook() throws Exception {
    Path f = secret("a-long-enough-webhook-secret\n", "rw-------");
    try (AlertSinks s = sinks(webhook(f))) {
      assertThat(s.names()).containsExactly("webhook");
    }
  }
}
