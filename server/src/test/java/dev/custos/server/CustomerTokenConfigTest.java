package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The customer.* settings: off by default, complete when on, refused naming the key when wrong. */
class CustomerTokenConfigTest {
  @TempDir
  Path dir;

  private CustosConfig load(Map<String, String> env) throws ConfigException {
    return ConfigLoader.load(Map.of(), env, null, dir);
  }

  @Test
  void byDefault_customerTransparencyIsOff() throws Exception {
    assertThat(load(Map.of()).customerTokens()).isEmpty();
  }

  @Test
  void jwksUrl_withIssuerAndAudience_isOn_withDefaults() throws Exception {
    CustosConfig c = load(Map.of("CUSTOS_CUSTOMER_JWKS", "https://login.exchange.example/.well-known/jwks.json",
        "CUSTOS_CUSTOMER_ISSUER", "https://login.exchange.example", "CUSTOS_CUSTOMER_AUDIENCE", "custos"));
    var t = c.customerTokens().orElseThrow();
    assertThat(t.jwksUrl()).contains(URI.create("https://login.exchange.example/.well-known/jwks.json"));
    assertThat(t.customerClaim()).isEqualTo("sub");
    assertThat(t.algorithms()).isEqualTo(Set.of("ES256", "RS256", "EdDSA"));
    assertThat(t.clockSkew()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void jwksFile_isResolvedAgainstTheWorkingDirectory() throws Exception {
    Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[]}");
    CustosConfig c = load(Map.of("CUSTOS_CUSTOMER_JWKS", "jwks.json", "CUSTOS_CUSTOMER_ISSUER", "i",
        "CUSTOS_CUSTOMER_AUDIENCE", "a"));
    assertThat(c.customerTokens().orElseThrow().jwksFile()).contains(dir.resolve("jwks.json"));
  }

  @Test
  void jwksWithoutAudience_isRefused_namingAudience() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_CUSTOMER_JWKS", "https://login.example/jwks", "CUSTOS_CUSTOMER_ISSUER", "i")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("customer.audience");
  }

  @Test
  void issuerWithoutJwks_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_CUSTOMER_ISSUER", "i")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("customer.jwks");
  }

  @Test
  void hmacAlgorithm_isRefused_namingAlgorithms() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_CUSTOMER_JWKS", "https://login.example/jwks", "CUSTOS_CUSTOMER_ISSUER", "i",
        "CUSTOS_CUSTOMER_AUDIENCE", "a", "CUSTOS_CUSTOMER_ALGORITHMS", "ES256,HS256")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("customer.algorithms");
  }

  @Test
  void plainHttpJwksElsewhereThanLocalhost_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_CUSTOMER_JWKS", "http://login.example/jwks", "CUSTOS_CUSTOMER_ISSUER", "i",
        "CUSTOS_CUSTOMER_AUDIENCE", "a"))).isInstanceOf(ConfigException.class).hasMessageContaining("customer.jwks");
  }

  @Test
  void skewAboveFiveMinutes_isRefused() {
    assertThatThrownBy(() -> load(Map.of("CUSTOS_CUSTOMER_JWKS", "https://login.example/jwks", "CUSTOS_CUSTOMER_ISSUER", "i",
        "CUSTOS_CUSTOMER_AUDIENCE", "a", "CUSTOS_CUSTOMER_CLOCK_SKEW", "10m")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("customer.clock-skew");
  }

  @Test
  void describe_roundTripsTheCustomerSettings() throws Exception {
    CustosConfig c = load(Map.of("CUSTOS_CUSTOMER_JWKS", "https://login.example/jwks", "CUSTOS_CUSTOMER_ISSUER", "i",
        "CUSTOS_CUSTOMER_AUDIENCE", "a", "CUSTOS_CUSTOMER_ALGORITHMS", "EdDSA", "CUSTOS_CUSTOMER_ID_CLAIM", "customer_id"));
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, c.describe());
    CustosConfig again = ConfigLoader.load(Map.of(), Map.of(), f, dir);
    assertThat(again.customerTokens()).isEqualTo(c.customerTokens());
  }
}
