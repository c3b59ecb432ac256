package dev.custos.identity.webauthn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebAuthnSettingsTest {
  private static WebAuthnSettings settings(String rpId, String... origins) {
    return WebAuthnSettings.of(rpId, "Custos", Set.of(origins));
  }

  @Test
  void localDevelopment_andProductionSettings_areAccepted() {
    assertThat(settings("localhost", "http://localhost:8080").origins()).containsExactly("http://localhost:8080");
    assertThat(settings("custos.example.com", "https://custos.example.com", "https://console.custos.example.com:8443")
        .origins()).containsExactly("https://console.custos.example.com:8443", "https://custos.example.com");
    assertThat(settings("example.com", "https://custos.example.com").timeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void rpId_mustBeABareLowerCaseDomain() {
    for (String rpId : new String[] {"", "https://localhost", "localhost:8080", "Localhost", "custos.example.com/",
        "-custos.example.com", "custos..example.com", "custos.example.com.", "cust os.example"}) {
      assertThatThrownBy(() -> settings(rpId, "https://x.example")).as(rpId)
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("webauthn rpId must be");
    }
    assertThatThrownBy(() -> settings(null, "http://localhost:8080")).hasMessageContaining("rpId").hasMessageEndingWith("missing");
    assertThatThrownBy(() -> settings("127.0.0.1", "http://127.0.0.1:8080")).hasMessageContaining("not an IP address");
  }

  @Test
  void origin_outsideTheRpId_isRefused_namingBoth() {
    assertThatThrownBy(() -> settings("custos.example.com", "https://example.com"))
        .hasMessage("webauthn origin 'https://example.com' is outside the rpId 'custos.example.com': its host must be the "
            + "rpId or a subdomain of it");
    assertThatThrownBy(() -> settings("custos.example.com", "https://evilcustos.example.com"))
        .hasMessageContaining("outside the rpId");
  }

  @Test
  void origin_thatNoBrowserWouldReport_isRefused() {
    assertThatThrownBy(() -> settings("localhost", "http://localhost:8080/")).hasMessageContaining("trailing slash");
    assertThatThrownBy(() -> settings("localhost", "http://localhost:8080/console")).hasMessageContaining("path");
    assertThatThrownBy(() -> settings("localhost", "https://localhost:443")).hasMessageContaining("default port 443");
    assertThatThrownBy(() -> settings("localhost", "http://LOCALHOST:8080")).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> settings("localhost", "localhost:8080")).hasMessageContaining("https");
    assertThatThrownBy(() -> settings("localhost", "ftp://localhost")).hasMessageContaining("https");
    assertThatThrownBy(() -> settings("localhost", "http://user@localhost:8080")).hasMessageContaining("user information");
    assertThatThrownBy(() -> settings("localhost", "http ://localhost")).hasMessageContaining("not a URL");
  }

  @Test
  void plainHttp_isOnlyForLocalhost() {
    assertThatThrownBy(() -> settings("custos.example.com", "http://custos.example.com"))
        .hasMessageContaining("must use https: browsers allow WebAuthn over http only on localhost");
  }

  @Test
  void origins_mustBeListed_andFew() {
    assertThatThrownBy(() -> WebAuthnSettings.of("localhost", "Custos", Set.of())).hasMessageContaining("at least one");
    assertThatThrownBy(() -> WebAuthnSettings.of("localhost", "Custos", null)).hasMessageContaining("at least one");
    Set<String> many = new HashSet<>();
    for (int port = 8000; port < 8017; port++) {
      many.add("http://localhost:" + port);
    }
    assertThatThrownBy(() -> WebAuthnSettings.of("localhost", "Custos", many)).hasMessageContaining("at most 16");
  }

  @Test
  void rpName_isAShortPrintableName() {
    assertThatThrownBy(() -> WebAuthnSettings.of("localhost", " ", Set.of("http://localhost"))).hasMessage("webauthn rpName is missing");
    assertThatThrownBy(() -> WebAuthnSettings.of("localhost", "Custos\n", Set.of("http://localhost")))
        .hasMessageContaining("rpName");
    assertThatThrownBy(() -> WebAuthnSettings.of("localhost", "x".repeat(65), Set.of("http://localhost")))
        .hasMessageContaining("longer than 64");
  }

  @Test
  void timeout_isBounded() {
    assertThatThrownBy(() -> new WebAuthnSettings("localhost", "Custos", Set.of("http://localhost"), Duration.ofSeconds(10)))
        .hasMessage("webauthn timeout must be 30 seconds to 10 minutes, was PT10S");
    assertThatThrownBy(() -> new WebAuthnSettings("localhost", "Custos", Set.of("http://localhost"), null))
        .hasMessageContaining("timeout");
  }

  @Test
  void origins_areCopied() {
    Set<String> origins = new HashSet<>(Set.of("http://localhost:8080"));
    WebAuthnSettings s = WebAuthnSettings.of("localhost", "Custos", origins);
    origins.add("http://localhost:9999");

    assertThat(s.origins()).containsExactly("http://localhost:8080");
    assertThatThrownBy(() -> s.origins().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
