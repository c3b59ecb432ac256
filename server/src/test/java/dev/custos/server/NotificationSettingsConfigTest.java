package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationSettingsConfigTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.load(Map.of(), env, null, dir);
  }

  @Test
  void byDefault_notificationsAreOff_andTemplatesLiveUnderTheDataDirectory() throws Exception {
    CustosConfig c = load(Map.of());
    assertThat(c.notifications().enabled()).isFalse();
    assertThat(c.templatesDir()).isEqualTo(c.data().resolve("templates"));
    assertThat(c.notifications().languagesByNationality()).containsEntry("DE", "de");
  }

  @Test
  void everySetting_isRead_andThePasswordNeverPrinted() throws Exception {
    CustosConfig c = load(Map.of("CUSTOS_NOTIFY_SMTP_HOST", "smtp.exchange.example", "CUSTOS_NOTIFY_SMTP_PORT", "465",
        "CUSTOS_NOTIFY_SMTP_TLS", "tls", "CUSTOS_NOTIFY_SMTP_USERNAME", "custos",
        "CUSTOS_NOTIFY_SMTP_PASSWORD", "hunter2-hunter2", "CUSTOS_NOTIFY_FROM", "security@exchange.example",
        "CUSTOS_NOTIFY_DEFAULT_LANGUAGE", "de", "CUSTOS_NOTIFY_LANGUAGES_BY_NATIONALITY", "FR=fr,DE=de",
        "CUSTOS_NOTIFY_ATTEMPTS", "3"));
    NotificationSettings n = c.notifications();
    assertThat(n.smtpHost()).contains("smtp.exchange.example");
    assertThat(n.smtpPort()).isEqualTo(465);
    assertThat(n.tls()).isEqualTo(NotificationSettings.Tls.TLS);
    assertThat(n.defaultLanguage()).isEqualTo("de");
    assertThat(n.languagesByNationality()).containsExactlyInAnyOrderEntriesOf(Map.of("FR", "fr", "DE", "de"));
    assertThat(n.attempts()).isEqualTo(3);
    assertThat(c.describe()).contains("notify.smtp.password: \"***\"").doesNotContain("hunter2");
    assertThat(n.toString()).doesNotContain("hunter2");
  }

  @Test
  void plainSmtpToAnotherHost_isRefused_namingTheKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_NOTIFY_SMTP_HOST", "smtp.exchange.example",
        "CUSTOS_NOTIFY_SMTP_TLS", "none", "CUSTOS_NOTIFY_FROM", "security@exchange.example")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.smtp.tls");
  }

  @Test
  void aHostWithoutASender_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_NOTIFY_SMTP_HOST", "smtp.exchange.example")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.from");
  }

  @Test
  void aPasswordWithoutAUser_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_NOTIFY_SMTP_PASSWORD", "x")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.smtp.password");
  }

  @Test
  void aBadLanguageMapping_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_NOTIFY_LANGUAGES_BY_NATIONALITY", "germany=de")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("notify.languages-by-nationality");
  }

  @Test
  void anEditedTemplateWithATypo_refusesTheStart_namingTheFile() throws Exception {
    Path templates = java.nio.file.Files.createDirectories(dir.resolve("t"));
    java.nio.file.Files.writeString(templates.resolve("notification.en.txt"), "subject: x\n---\nDear {{nmae}}\n");
    assertThatThrownBy(() -> NotificationTemplates.load(templates, "en")).isInstanceOf(StartupException.class)
        .hasMessageContaining("notification.en.txt").hasMessageContaining("{{nmae}}");
  }

  @Test
  void anEditedTemplate_replacesTheBuiltInOne_andAddsLanguages() throws Exception {
    Path templates = java.nio.file.Files.createDirectories(dir.resolve("t2"));
    java.nio.file.Files.writeString(templates.resolve("notification.fr.txt"), "subject: Avis {{incident}}\n---\nBonjour\n");
    NotificationTemplates t = NotificationTemplates.load(templates, "fr");
    assertThat(t.languages()).containsExactlyInAnyOrder("de", "en", "fr");
    assertThat(t.fallback().render(Map.of("incident", "inc-1")).subject()).isEqualTo("Avis inc-1");
  }
}
