package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> flags, Map<String, String> env, Path file) throws ConfigException {
    return ConfigLoader.load(flags, env, file, dir);
  }

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("custos.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void defaults_areTheEmbeddedModeOnLoopback8080() throws Exception {
    CustosConfig c = load(Map.of(), Map.of(), null);
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.data()).isEqualTo(dir.resolve("custos-data"));
    assertThat(c.embeddedDatabase()).isTrue();
    assertThat(c.dbPoolSize()).isEqualTo(10);
  }

  @Test
  void precedence_isFlagOverEnvironmentOverFileOverDefault() throws Exception {
    Path f = yaml("http:\n  port: 1001\n  bind: 127.0.0.2\ndata: from-file\ndb:\n  pool-size: 3\n");
    CustosConfig c = load(Map.of("http.port", "1003"), Map.of("CUSTOS_HTTP_PORT", "1002", "CUSTOS_HTTP_BIND", "127.0.0.3"), f);
    assertThat(c.port()).isEqualTo(1003);
    assertThat(c.bind()).isEqualTo("127.0.0.3");
    assertThat(c.data()).isEqualTo(dir.resolve("from-file"));
    assertThat(c.dbPoolSize()).isEqualTo(3);
    assertThat(c.sources()).containsEntry("http.port", "flag --port").containsEntry("http.bind", "environment CUSTOS_HTTP_BIND")
        .containsEntry("data", "file custos.yaml").containsEntry("db.url", "default");
  }

  @Test
  void file_withFlatDottedKeys_isAccepted() throws Exception {
    assertThat(load(Map.of(), Map.of(), yaml("http.port: 9001\n")).port()).isEqualTo(9001);
  }

  @Test
  void sessionTimeouts_defaultToFifteenMinutesIdleAndTenHours_andAreSettable() throws Exception {
    assertThat(load(Map.of(), Map.of(), null).sessions()).isEqualTo(dev.custos.identity.SessionPolicy.DEFAULT);
    dev.custos.identity.SessionPolicy s = load(Map.of(), Map.of("CUSTOS_SESSION_IDLE", "2h", "CUSTOS_SESSION_ABSOLUTE", "12h"),
        null).sessions();
    assertThat(s.idle()).isEqualTo(java.time.Duration.ofHours(2));
    assertThat(s.absolute()).isEqualTo(java.time.Duration.ofHours(12));
    assertThat(s.pending()).isEqualTo(dev.custos.identity.SessionPolicy.DEFAULT.pending());
  }

  @Test
  void sessionTimeouts_outOfRange_orIdleLongerThanAbsolute_areRefused_namingTheKey() {
    for (Map<String, String> env : java.util.List.of(Map.of("CUSTOS_SESSION_IDLE", "30s"),
        Map.of("CUSTOS_SESSION_IDLE", "13h"), Map.of("CUSTOS_SESSION_ABSOLUTE", "25h"), Map.of("CUSTOS_SESSION_ABSOLUTE", "59m"))) {
      String key = env.keySet().iterator().next().equals("CUSTOS_SESSION_IDLE") ? "session.idle" : "session.absolute";
      assertThatThrownBy(() -> load(Map.of(), env, null)).as(env.toString()).isInstanceOf(ConfigException.class)
          .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
    }
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_SESSION_IDLE", "11h", "CUSTOS_SESSION_ABSOLUTE", "10h"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("session.idle").hasMessageContaining("session.absolute")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("session.idle"));
  }

  @Test
  void port_notANumber_isRefused_namingPort() {
    assertThatThrownBy(() -> load(Map.of("http.port", "notaport"), Map.of(), null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.port")
        .hasMessageContaining("'notaport'")
        .hasMessageContaining("from flag --port")
        .hasMessageContaining("0 to 65535")
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo("http.port"));
  }

  @Test
  void port_outOfRange_isRefusedNotClamped() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_HTTP_PORT", "70000"), null))
        .hasMessageContaining("http.port").hasMessageContaining("environment CUSTOS_HTTP_PORT");
  }

  @Test
  void unknownFileKey_isRefused_listingTheKnownKeys() throws Exception {
    Path f = yaml("http:\n  prot: 1\n");
    assertThatThrownBy(() -> load(Map.of(), Map.of(), f))
        .hasMessageContaining("unknown configuration key 'http.prot'").hasMessageContaining("http.port");
  }

  @Test
  void unknownCustosEnvironmentVariable_isRefused() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_HTTP_PROT", "1"), null))
        .hasMessageContaining("CUSTOS_HTTP_PROT").hasMessageContaining("CUSTOS_HTTP_PORT");
  }

  @Test
  void testHarnessVariablesAndOtherVariables_areIgnored() throws Exception {
    assertThat(load(Map.of(), Map.of("CUSTOS_TEST_DB_URL", "x", "HOME", "/root"), null).port()).isEqualTo(8080);
  }

  @Test
  void malformedYaml_isRefused_namingTheLine() throws Exception {
    Path f = yaml("http:\n  port: 1\n bind: [\n");
    assertThatThrownBy(() -> load(Map.of(), Map.of(), f)).hasMessageContaining("not valid YAML").hasMessageContaining("line");
  }

  @Test
  void duplicateYamlKey_isRefused() throws Exception {
    Path f = yaml("data: a\ndata: b\n");
    assertThatThrownBy(() -> load(Map.of(), Map.of(), f)).hasMessageContaining("not valid YAML");
  }

  @Test
  void listValue_isRefused_namingTheKey() throws Exception {
    Path f = yaml("http:\n  bind: [a, b]\n");
    assertThatThrownBy(() -> load(Map.of(), Map.of(), f)).hasMessageContaining("http.bind").hasMessageContaining("single value");
  }

  @Test
  void missingFile_isRefused() {
    assertThatThrownBy(() -> load(Map.of(), Map.of(), dir.resolve("nope.yaml"))).hasMessageContaining("does not exist");
  }

  @Test
  void configFile_fromEnvironment_isRead() throws Exception {
    Path f = yaml("http.port: 4444\n");
    assertThat(load(Map.of(), Map.of("CUSTOS_CONFIG", f.toString()), null).port()).isEqualTo(4444);
  }

  @Test
  void dbUrl_thatIsNotPostgres_isRefused_withoutEchoingCredentials() {
    assertThatThrownBy(() -> load(Map.of("db.url", "jdbc:mysql://h/x?password=hunter2"), Map.of(), null))
        .hasMessageContaining("db.url").hasMessageNotContaining("hunter2");
  }

  @Test
  void dbPassword_invalid_isNeverEchoed_andPrintsRedacted() throws Exception {
    CustosConfig c = load(Map.of(), Map.of("CUSTOS_DB_URL", "jdbc:postgresql://db/x", "CUSTOS_DB_PASSWORD", "hunter2"), null);
    assertThat(c.describe()).contains("db.password: \"***\"").doesNotContain("hunter2");
    assertThat(c.toString()).doesNotContain("hunter2");
    assertThat(c.dbPassword().orElseThrow().toString()).isEqualTo("***");
    assertThat(new String(c.dbPassword().orElseThrow().reveal())).isEqualTo("hunter2");
  }

  @Test
  void describe_isYamlThatLoadsBackToTheSameConfiguration() throws Exception {
    CustosConfig c = load(Map.of("http.port", "9999", "data", "x y"), Map.of(), null);
    Path f = yaml(c.describe().replace("db.password: \"***\"", "db.password: \"\""));
    CustosConfig again = load(Map.of(), Map.of(), f);
    assertThat(again.port()).isEqualTo(9999);
    assertThat(again.data()).isEqualTo(c.data());
    assertThat(again.bind()).isEqualTo(c.bind());
  }

  @Test
  void poolSize_zero_isRefused() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_DB_POOL_SIZE", "0"), null)).hasMessageContaining("db.pool-size");
  }

  @Test
  void bind_withShellCharacters_isRefused() {
    assertThatThrownBy(() -> load(Map.of("http.bind", "127.0.0.1;rm"), Map.of(), null)).hasMessageContaining("http.bind");
  }

  // single sign-on

  private static final String OIDC_FILE = """
      oidc:
        issuer: "https://login.exchange.example/oauth2/default"
        client-id: "custos-console"
        redirect-uri: "https://custos.exchange.example/v1/session/oidc/callback"
        group-roles: "support-agents=support-l1, security-team=security-analyst"
      """;

  @Test
  void oidc_isOff_byDefault() throws Exception {
    assertThat(load(Map.of(), Map.of(), null).oidc()).isEmpty();
  }

  @Test
  void oidc_withTheRequiredKeys_isOn_withTheDocumentedDefaults() throws Exception {
    CustosConfig c = load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s3cret"), yaml(OIDC_FILE));

    var o = c.oidc().orElseThrow();
    assertThat(o.issuer().toString()).isEqualTo("https://login.exchange.example/oauth2/default");
    assertThat(o.clientId()).isEqualTo("custos-console");
    assertThat(o.scopes()).containsExactly("openid", "profile", "email");
    assertThat(o.mfaRequired()).isTrue();
    assertThat(o.requiredAmr()).containsExactly("mfa");
    assertThat(o.clockSkew()).hasSeconds(60);
    assertThat(o.readTimeout()).hasSeconds(10);
    assertThat(o.groupRoles()).containsOnlyKeys("support-agents", "security-team");
  }

  @Test
  void oidc_optionalKeys_areRead() throws Exception {
    CustosConfig c = load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s3cret", "CUSTOS_OIDC_SCOPES", "openid,groups",
        "CUSTOS_OIDC_REQUIRE_MFA", "false", "CUSTOS_OIDC_REQUIRED_ACR", "gold", "CUSTOS_OIDC_CLOCK_SKEW", "2m",
        "CUSTOS_OIDC_CONNECT_TIMEOUT", "500ms", "CUSTOS_OIDC_USERNAME_CLAIM", "staff_id"), yaml(OIDC_FILE));

    var o = c.oidc().orElseThrow();
    assertThat(o.scopes()).containsExactly("openid", "groups");
    assertThat(o.mfaRequired()).isFalse();
    assertThat(o.requiredAcr()).containsExactly("gold");
    assertThat(o.clockSkew()).hasMinutes(2);
    assertThat(o.connectTimeout()).hasMillis(500);
    assertThat(o.usernameClaim()).isEqualTo("staff_id");
  }

  @Test
  void oidc_withoutTheClientSecret_isRefused_namingIt() {
    assertThatThrownBy(() -> load(Map.of(), Map.of(), yaml(OIDC_FILE))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("oidc.client-secret").hasMessageContaining("required");
  }

  @Test
  void oidc_clientSecret_isNeverEchoed_andPrintsRedacted() throws Exception {
    CustosConfig c = load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s3cret-value"), yaml(OIDC_FILE));

    assertThat(c.describe()).contains("oidc.client-secret: \"***\"").doesNotContain("s3cret-value");
    assertThat(c.toString()).doesNotContain("s3cret-value");
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "bad\u0001secret"), yaml(OIDC_FILE)))
        .hasMessageContaining("oidc.client-secret").message().doesNotContain("bad");
  }

  @Test
  void oidc_settingsWithoutAnIssuer_areRefused_ratherThanIgnored() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_ID", "custos-console"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("oidc.client-id").hasMessageContaining("oidc.issuer");
  }

  @Test
  void oidc_plainHttpIssuer_isRefused_namingIt() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s", "CUSTOS_OIDC_ISSUER", "http://idp.example"),
        yaml(OIDC_FILE))).isInstanceOf(ConfigException.class).hasMessageContaining("oidc.issuer").hasMessageContaining("https");
  }

  @Test
  void oidc_unknownRoleInGroupRoles_isRefused_namingTheEntry() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s", "CUSTOS_OIDC_GROUP_ROLES", "ops=root"),
        yaml(OIDC_FILE))).isInstanceOf(ConfigException.class).hasMessageContaining("oidc.group-roles")
        .hasMessageContaining("entry 1");
  }

  @Test
  void oidc_badDurationOrBoolean_isRefused_namingTheKey() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s", "CUSTOS_OIDC_CLOCK_SKEW", "10 minutes"),
        yaml(OIDC_FILE))).hasMessageContaining("oidc.clock-skew");
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s", "CUSTOS_OIDC_CLOCK_SKEW", "10m"),
        yaml(OIDC_FILE))).hasMessageContaining("oidc.clock-skew");
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s", "CUSTOS_OIDC_REQUIRE_MFA", "yes"),
        yaml(OIDC_FILE))).hasMessageContaining("oidc.require-mfa");
  }

  @Test
  void oidc_describe_loadsBackToTheSameSettings() throws Exception {
    CustosConfig c = load(Map.of(), Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s3cret"), yaml(OIDC_FILE));
    Path f = yaml(c.describe().replace("oidc.client-secret: \"***\"", "oidc.client-secret: \"s3cret\""));

    var again = load(Map.of(), Map.of(), f).oidc().orElseThrow();

    var o = c.oidc().orElseThrow();
    assertThat(again.issuer()).isEqualTo(o.issuer());
    assertThat(again.groupRoles()).isEqualTo(o.groupRoles());
    assertThat(again.requiredAcr()).isEqualTo(o.requiredAcr());
    assertThat(again.readTimeout()).isEqualTo(o.readTimeout());
  }

  // WebAuthn relying party

  @Test
  void webAuthn_defaultsToLocalhostAtTheHttpPort() throws Exception {
    CustosConfig c = load(Map.of("http.port", "9443"), Map.of(), null);

    assertThat(c.webAuthn().rpId()).isEqualTo("localhost");
    assertThat(c.webAuthn().origins()).containsExactly("http://localhost:9443");
  }

  @Test
  void webAuthn_configuredRpIdAndOrigins_areUsed() throws Exception {
    CustosConfig c = load(Map.of(), Map.of("CUSTOS_WEBAUTHN_RP_ID", "exchange.example",
        "CUSTOS_WEBAUTHN_ORIGINS", "https://custos.exchange.example, https://custos-dr.exchange.example:8443"), null);

    assertThat(c.webAuthn().rpId()).isEqualTo("exchange.example");
    assertThat(c.webAuthn().origins())
        .containsExactlyInAnyOrder("https://custos.exchange.example", "https://custos-dr.exchange.example:8443");
  }

  @Test
  void webAuthn_plainHttpOriginOtherThanLocalhost_isRefused_namingTheKey() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_WEBAUTHN_RP_ID", "exchange.example",
        "CUSTOS_WEBAUTHN_ORIGINS", "http://custos.exchange.example"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webauthn.origins");
  }

  @Test
  void webAuthn_originOutsideTheRpId_isRefused() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_WEBAUTHN_RP_ID", "exchange.example",
        "CUSTOS_WEBAUTHN_ORIGINS", "https://custos.attacker.example"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webauthn.origins");
  }

  @Test
  void webAuthn_rpIdThatIsAnIpAddress_isRefused_namingTheKey() {
    assertThatThrownBy(() -> load(Map.of(), Map.of("CUSTOS_WEBAUTHN_RP_ID", "10.0.0.7"), null))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webauthn.rp-id");
  }
}
