package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.QuotaSettings;
import dev.custos.access.Role;
import dev.custos.vault.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The customer-data settings in the configuration: catalogue file, MFA window, break-glass roles, quotas, vault keys. */
class AccessSettingsConfigTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> env, String yaml) throws Exception {
    Path f = null;
    if (yaml != null) {
      f = dir.resolve("custos.yaml");
      Files.writeString(f, yaml);
    }
    return ConfigLoader.load(Map.of(), env, f, dir);
  }

  private static final String CATALOGUE = """
      # a small exchange
      name = confidential, initial, view: support-l1 support-l2, reveal: support-l2
      email = confidential, partial-email, view: support-l1 support-l2, reveal: support-l2
      phone = confidential, last-4, view: support-l1 support-l2, reveal: support-l2
      government_id = restricted, last-4, view: support-l2, reveal: support-l2
      account_status = public, none, view: support-l1 support-l2
      """;

  @Test
  void defaults_areTheExchangeCatalogueAndTheDefaultQuotas() throws Exception {
    CustosConfig c = load(Map.of(), null);
    assertThat(c.access().catalogueFile()).isEmpty();
    assertThat(c.access().catalogue().contains(new Field("bank_account"))).isTrue();
    assertThat(c.access().quotas()).isEqualTo(QuotaSettings.defaults());
    assertThat(c.access().policy().mfaWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.access().policy().breakGlassRoles())
        .containsExactlyInAnyOrder(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);
    assertThat(c.vault().previousKeks()).isEmpty();
    assertThat(c.vault().dataKeyMaxAge()).isEmpty();
  }

  @Test
  void everySetting_isTakenFromFileAndEnvironment() throws Exception {
    Files.writeString(dir.resolve("fields.catalogue"), CATALOGUE);
    CustosConfig c = load(Map.of("CUSTOS_QUOTA_REVEALS_PER_HOUR", "7", "CUSTOS_ACCESS_MFA_WINDOW", "2m"), """
        access:
          field-catalogue: fields.catalogue
          break-glass-roles: security-analyst
        quota:
          off-ticket-customers-per-hour: 2
          off-ticket-customers-per-day: 5
          searches-per-hour: 9
          break-glass-customers-per-day: 1
        vault:
          data-key-max-age: 90d
          rotation-interval: 10m
          rotation-batch-size: 50
        """);
    assertThat(c.access().catalogueFile()).contains(dir.resolve("fields.catalogue"));
    assertThat(c.access().catalogue().contains(new Field("bank_account"))).isFalse();
    assertThat(c.access().quotas()).isEqualTo(new QuotaSettings(2, 5, 7, 9, 1));
    assertThat(c.access().policy().mfaWindow()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.access().policy().breakGlassRoles()).containsExactly(Role.SECURITY_ANALYST);
    assertThat(c.vault().dataKeyMaxAge()).contains(Duration.ofDays(90));
    assertThat(c.vault().rotationInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.vault().rotationBatchSize()).isEqualTo(50);
    assertThat(c.sources()).containsEntry("quota.reveals-per-hour", "environment CUSTOS_QUOTA_REVEALS_PER_HOUR")
        .containsEntry("quota.searches-per-hour", "file custos.yaml");
  }

  @Test
  void emptyBreakGlassRoles_meansNobodyMayBreakTheGlass() throws Exception {
    assertThat(load(Map.of("CUSTOS_ACCESS_BREAK_GLASS_ROLES", ""), null).access().policy().breakGlassRoles()).isEmpty();
  }

  @Test
  void describe_loadsBackToTheSameAccessSettings() throws Exception {
    Files.writeString(dir.resolve("fields.catalogue"), CATALOGUE);
    CustosConfig c = load(Map.of("CUSTOS_ACCESS_FIELD_CATALOGUE", "fields.catalogue", "CUSTOS_QUOTA_REVEALS_PER_HOUR", "7",
        "CUSTOS_VAULT_DATA_KEY_MAX_AGE", "36h", "CUSTOS_ACCESS_MFA_WINDOW", "90s"), null);
    CustosConfig back = load(Map.of(), c.describe());
    assertThat(back.access().quotas()).isEqualTo(c.access().quotas());
    assertThat(back.access().policy().mfaWindow()).isEqualTo(Duration.ofSeconds(90));
    assertThat(back.access().policy().breakGlassRoles()).isEqualTo(c.access().policy().breakGlassRoles());
    assertThat(back.access().catalogueFile()).isEqualTo(c.access().catalogueFile());
    assertThat(back.vault()).isEqualTo(c.vault());
  }

  @Test
  void quotaNotANumber_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_QUOTA_SEARCHES_PER_HOUR", "lots"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("quota.searches-per-hour").hasMessageContaining("'lots'")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("quota.searches-per-hour"));
  }

  @Test
  void quotaOutOfRange_isRefusedNotClamped() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_QUOTA_REVEALS_PER_HOUR", "100001"), null))
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("quota.reveals-per-hour"));
    assertThatThrownBy(() -> load(Map.of("CUSTOS_QUOTA_BREAK_GLASS_CUSTOMERS_PER_DAY", "-1"), null))
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("quota.break-glass-customers-per-day"));
  }

  @Test
  void dailyOffTicketQuotaBelowTheHourlyOne_isRefusedNamingTheDailyKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_QUOTA_OFF_TICKET_CUSTOMERS_PER_HOUR", "5",
        "CUSTOS_QUOTA_OFF_TICKET_CUSTOMERS_PER_DAY", "4"), null))
        .hasMessageContaining("is below quota.off-ticket-customers-per-hour")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("quota.off-ticket-customers-per-day"));
  }

  @Test
  void mfaWindowOutOfRangeOrMalformed_isRefusedNamingTheKey() {
    for (String bad : new String[] {"0s", "2h", "five minutes"}) {
      assertThatThrownBy(() -> load(Map.of("CUSTOS_ACCESS_MFA_WINDOW", bad), null)).as(bad)
          .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("access.mfa-window"));
    }
  }

  @Test
  void breakGlassRoles_unknownRoleOrAdministrator_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ACCESS_BREAK_GLASS_ROLES", "support-l2,janitor"), null))
        .hasMessageContaining("janitor")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("access.break-glass-roles"));
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ACCESS_BREAK_GLASS_ROLES", "admin"), null))
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("access.break-glass-roles"));
  }

  @Test
  void catalogueFile_missingOrMalformed_isRefusedNamingTheKeyAndLine() throws Exception {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ACCESS_FIELD_CATALOGUE", "nowhere.catalogue"), null))
        .hasMessageContaining("no such file")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("access.field-catalogue"));
    Files.writeString(dir.resolve("bad.catalogue"), "email = confidential, partial-email\nphone = secretish, none\n");
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ACCESS_FIELD_CATALOGUE", "bad.catalogue"), null))
        .hasMessageContaining("line 2")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("access.field-catalogue"));
  }

  @Test
  void catalogueWithoutTheSearchableFields_isRefusedAtStartNotAtTheFirstSearch() throws Exception {
    Files.writeString(dir.resolve("small.catalogue"), "name = confidential, initial, view: support-l1\n");
    assertThatThrownBy(() -> load(Map.of("CUSTOS_ACCESS_FIELD_CATALOGUE", "small.catalogue"), null))
        .hasMessageContaining("the catalogue has no field")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("access.field-catalogue"));
  }

  @Test
  void dataKeyMaxAgeBelowADay_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_VAULT_DATA_KEY_MAX_AGE", "12h"), null))
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("vault.data-key-max-age"));
  }
}
