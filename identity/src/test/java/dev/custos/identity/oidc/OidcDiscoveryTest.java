package dev.custos.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.identity.oidc.OidcOutcome.Reason;
import dev.custos.identity.oidc.OidcOutcome.Refused;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Discovery of the provider's metadata, and token-endpoint behaviours of providers other than the mock. */
class OidcDiscoveryTest {
  private final FakeProvider fake = new FakeProvider();

  @AfterEach
  void stop() {
    fake.close();
  }

  private OidcLogin discover() throws OidcDiscoveryException {
    return discover(fake.settings().build());
  }

  private static OidcLogin discover(OidcSettings settings) throws OidcDiscoveryException {
    return OidcLogin.discover(settings, InstantSource.system(), new SecureRandom());
  }

  @Test
  void discover_wellFormedMetadata_succeeds() throws OidcDiscoveryException {
    assertThat(discover().begin().location().toString()).startsWith(fake.issuer() + "/authorize?");
  }

  @Test
  void discover_unreachableProvider_failsNamingTheUrl() {
    OidcSettings settings = fake.settings().build();
    fake.close();

    assertThatThrownBy(() -> discover(settings)).isInstanceOf(OidcDiscoveryException.class)
        .hasMessageContaining(fake.issuer() + "/.well-known/openid-configuration")
        .hasMessageContaining("unreachable");
  }

  @Test
  void discover_metadataNamingAnotherIssuer_fails() {
    fake.metadata.put("issuer", "https://idp.attacker.example");

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class)
        .hasMessageContaining("names issuer https://idp.attacker.example, not oidc.issuer " + fake.issuer());
  }

  @Test
  void discover_issuerDifferingOnlyByATrailingSlash_fails() {
    fake.metadata.put("issuer", fake.issuer() + "/");

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class).hasMessageContaining("names issuer");
  }

  @Test
  void discover_metadataNotFound_fails() {
    fake.metadataAnswer.set(new FakeProvider.Answer(404, "{}"));

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class).hasMessageContaining("answered HTTP 404");
  }

  @Test
  void discover_metadataThatIsNotJson_fails() {
    fake.metadataAnswer.set(new FakeProvider.Answer(200, "<html>login</html>"));

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class).hasMessageContaining("is not OpenID Provider metadata");
  }

  @Test
  void discover_providerWithoutPkceS256_fails() {
    fake.metadata.put("code_challenge_methods_supported", List.of("plain"));

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class).hasMessageContaining("S256");
  }

  @Test
  void discover_providerNotAdvertisingPkce_succeeds() throws OidcDiscoveryException {
    fake.metadata.remove("code_challenge_methods_supported");

    assertThat(discover().begin().location().getQuery()).contains("code_challenge_method=S256");
  }

  @Test
  void discover_providerSigningIdTokensOnlyWithHmac_fails() {
    fake.metadata.put("id_token_signing_alg_values_supported", List.of("HS256", "none"));

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class).hasMessageContaining("id_token_signing_alg_values_supported");
  }

  @Test
  void discover_providerWithoutTheCodeFlow_fails() {
    fake.metadata.put("response_types_supported", List.of("id_token", "id_token token"));

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class).hasMessageContaining("response_type code");
  }

  @Test
  void discover_plainHttpTokenEndpointOnAnotherHost_fails() {
    fake.metadata.put("token_endpoint", "http://idp.example/token");

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class)
        .hasMessageContaining("token_endpoint that is not an https URL");
  }

  @Test
  void discover_providerWithoutClientSecretAuthentication_fails() {
    fake.metadata.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));

    assertThatThrownBy(this::discover).isInstanceOf(OidcDiscoveryException.class)
        .hasMessageContaining("neither client_secret_basic nor client_secret_post");
  }

  @Test
  void discover_failure_neverShowsTheClientSecret() {
    fake.metadata.put("issuer", "https://idp.attacker.example");

    assertThatThrownBy(this::discover).satisfies(e -> assertThat(e.toString()).doesNotContain(MockProvider.CLIENT_SECRET));
  }

  @Test
  void tokenEndpoint_getsClientSecretPost_whenTheProviderOffersOnlyThat() throws OidcDiscoveryException {
    fake.metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "private_key_jwt"));
    OidcLogin login = discover();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("code", "abc", "state", pending.state()))).isEqualTo(new Refused(Reason.TOKEN_EXCHANGE_FAILED));
    FakeProvider.Received request = fake.lastTokenRequest.get();
    assertThat(request.body()).contains("client_secret=" + MockProvider.CLIENT_SECRET).contains("client_id=" + MockProvider.CLIENT_ID);
    assertThat(request.headers()).doesNotContainKey("Authorization");
  }

  @Test
  void tokenEndpointServerError_isUnavailable() throws OidcDiscoveryException {
    fake.tokenAnswer.set(new FakeProvider.Answer(503, ""));
    OidcLogin login = discover();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("code", "abc", "state", pending.state()))).isEqualTo(new Refused(Reason.UNAVAILABLE));
  }

  @Test
  void tokenEndpointAnswerWithoutAnIdToken_isRefused() throws OidcDiscoveryException {
    fake.tokenAnswer.set(new FakeProvider.Answer(200, "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
    OidcLogin login = discover();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("code", "abc", "state", pending.state())))
        .isEqualTo(new Refused(Reason.TOKEN_EXCHANGE_FAILED));
  }

  @Test
  void tokenEndpointAnswerThatIsNotJson_isRefused() throws OidcDiscoveryException {
    fake.tokenAnswer.set(new FakeProvider.Answer(200, "<html>oops</html>"));
    OidcLogin login = discover();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("code", "abc", "state", pending.state())))
        .isEqualTo(new Refused(Reason.TOKEN_EXCHANGE_FAILED));
  }

  @Test
  void callbackWithoutIss_isRefused_whenTheProviderPromisedIt() throws OidcDiscoveryException {
    fake.metadata.put("authorization_response_iss_parameter_supported", true);
    OidcLogin login = discover();
    OidcPending pending = login.begin().pending();

    assertThat(login.complete(pending, Map.of("code", "abc", "state", pending.state()))).isEqualTo(new Refused(Reason.WRONG_ISSUER));
    assertThat(login.complete(pending, Map.of("code", "abc", "state", pending.state(), "iss", fake.issuer().toString())))
        .isEqualTo(new Refused(Reason.TOKEN_EXCHANGE_FAILED));
  }
}
