package dev.custos.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.custos.identity.oidc.CustomerTokens.Authenticated;
import dev.custos.identity.oidc.CustomerTokens.Refused;
import dev.custos.identity.oidc.CustomerTokens.Unavailable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Customer tokens checked against a real key set served over HTTP by a JDK server. */
class CustomerTokensTest {
  static final String ISSUER = "https://login.exchange.example";
  static final String AUDIENCE = "custos-transparency";
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  static ECKey ecKey;
  static RSAKey rsaKey;
  static OctetKeyPair edKey;
  static ECKey strangerKey;
  static HttpServer server;
  static final AtomicInteger fetches = new AtomicInteger();
  static CustomerTokens tokens;

  @BeforeAll
  static synchronized void serveKeySet() throws Exception {
    if (server != null) {
      return;
    }
    ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    edKey = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
    strangerKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    byte[] jwks = new JWKSet(java.util.List.of(ecKey.toPublicJWK(), rsaKey.toPublicJWK(), edKey.toPublicJWK()))
        .toString().getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks.json", ex -> {
      fetches.incrementAndGet();
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, jwks.length);
      ex.getResponseBody().write(jwks);
      ex.close();
    });
    server.start();
    tokens = CustomerTokens.create(settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json")),
        InstantSource.fixed(NOW));
  }

  @AfterAll
  static synchronized void stop() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  static CustomerTokenSettings settings(URI url) {
    return new CustomerTokenSettings(Optional.of(url), Optional.empty(), ISSUER, AUDIENCE, "sub",
        Set.of("ES256", "RS256", "EdDSA"), Duration.ofSeconds(60), Duration.ofSeconds(2), Duration.ofSeconds(2));
  }

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("cust-ada")
        .issueTime(Date.from(NOW.minusSeconds(30))).expirationTime(Date.from(NOW.plusSeconds(600)));
  }

  static String es256(JWTClaimsSet claims, ECKey key) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  @Test
  void es256Token_fromTheExchange_namesTheCustomer() throws Exception {
    assertThat(tokens.check(es256(claims().build(), ecKey)))
        .isEqualTo(new Authenticated(new dev.custos.access.CustomerId("cust-ada"), NOW.plusSeconds(600)));
  }

  @Test
  void rs256AndEdDsaTokens_areAccepted() throws Exception {
    SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims().build());
    rs.sign(new RSASSASigner(rsaKey));
    SignedJWT ed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed-1").build(), claims().build());
    ed.sign(new Ed25519Signer(edKey));
    assertThat(tokens.check(rs.serialize())).isInstanceOf(Authenticated.class);
    assertThat(tokens.check(ed.serialize())).isInstanceOf(Authenticated.class);
  }

  @Test
  void expiredToken_isRefused() throws Exception {
    String t = es256(claims().expirationTime(Date.from(NOW.minusSeconds(61))).build(), ecKey);
    assertThat(tokens.check(t)).isInstanceOf(Refused.class);
  }

  @Test
  void tokenExpiredWithinSkew_isAccepted() throws Exception {
    String t = es256(claims().expirationTime(Date.from(NOW.minusSeconds(30))).build(), ecKey);
    assertThat(CustomerTokens.create(settings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + "/jwks.json")), InstantSource.fixed(NOW)).check(t)).isInstanceOf(Authenticated.class);
  }

  @Test
  void wrongAudience_isRefused() throws Exception {
    assertThat(tokens.check(es256(claims().audience("another-app").build(), ecKey))).isInstanceOf(Refused.class);
  }

  @Test
  void wrongIssuer_isRefused() throws Exception {
    assertThat(tokens.check(es256(claims().issuer("https://evil.example").build(), ecKey))).isInstanceOf(Refused.class);
  }

  @Test
  void tokenSignedByAKeyNotInTheSet_isRefused() throws Exception {
    assertThat(tokens.check(es256(claims().build(), strangerKey))).isInstanceOf(Refused.class);
  }

  @Test
  void unsignedToken_algNone_isRefused() {
    assertThat(tokens.check(new PlainJWT(claims().build()).serialize())).isInstanceOf(Refused.class);
  }

  @Test
  void hmacToken_isRefused_evenWithThePublicKeyAsSecret() throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("ec-1").build(), claims().build());
    jwt.sign(new MACSigner(new byte[32]));
    assertThat(tokens.check(jwt.serialize())).isInstanceOf(Refused.class);
  }

  @Test
  void missingCustomerClaim_isRefused() throws Exception {
    assertThat(tokens.check(es256(claims().subject(null).build(), ecKey))).isInstanceOf(Refused.class);
  }

  @Test
  void customerClaimThatIsNoCustomerId_isRefused() throws Exception {
    assertThat(tokens.check(es256(claims().subject("not an id!").build(), ecKey))).isInstanceOf(Refused.class);
  }

  @Test
  void tokenNotYetValid_isRefused() throws Exception {
    assertThat(tokens.check(es256(claims().notBeforeTime(Date.from(NOW.plusSeconds(300))).build(), ecKey)))
        .isInstanceOf(Refused.class);
  }

  @Test
  void algorithmNotAllowedBySettings_isRefused() throws Exception {
    CustomerTokens rsOnly = CustomerTokens.create(new CustomerTokenSettings(Optional.of(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/jwks.json")), Optional.empty(), ISSUER, AUDIENCE, "sub", Set.of("RS256"),
        Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(2)), InstantSource.fixed(NOW));
    assertThat(rsOnly.check(es256(claims().build(), ecKey))).isInstanceOf(Refused.class);
  }

  @Test
  void otherCustomerClaim_isUsedWhenConfigured() throws Exception {
    CustomerTokens byClaim = CustomerTokens.create(new CustomerTokenSettings(Optional.of(URI.create("http://127.0.0.1:"
        + server.getAddress().getPort() + "/jwks.json")), Optional.empty(), ISSUER, AUDIENCE, "customer_id",
        Set.of("ES256"), Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(2)), InstantSource.fixed(NOW));
    assertThat(byClaim.check(es256(claims().claim("customer_id", "cust-bob").build(), ecKey)))
        .isEqualTo(new Authenticated(new dev.custos.access.CustomerId("cust-bob"), NOW.plusSeconds(600)));
    assertThat(byClaim.check(es256(claims().build(), ecKey))).isInstanceOf(Refused.class);
  }

  @Test
  void keySetFromAFile_verifiesTokens(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, new JWKSet(ecKey.toPublicJWK()).toString());
    CustomerTokens fromFile = CustomerTokens.create(new CustomerTokenSettings(Optional.empty(), Optional.of(file), ISSUER,
        AUDIENCE, "sub", Set.of("ES256"), Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(2)),
        InstantSource.fixed(NOW));
    assertThat(fromFile.check(es256(claims().build(), ecKey))).isInstanceOf(Authenticated.class);
  }

  @Test
  void unreachableKeySet_isUnavailable_notAuthenticated() throws Exception {
    CustomerTokens down = CustomerTokens.create(settings(URI.create("http://127.0.0.1:1/jwks.json")), InstantSource.fixed(NOW));
    assertThat(down.check(es256(claims().build(), ecKey))).isInstanceOf(Unavailable.class);
  }

  @Test
  void settings_refuseHmacAlgorithmsAndPlainHttpElsewhere() {
    assertThatThrownBy(() -> CustomerTokenSettings.parseAlgorithms("HS256")).hasMessageContaining("customer.algorithms");
    assertThatThrownBy(() -> settings(URI.create("http://login.exchange.example/jwks.json")))
        .hasMessageContaining("customer.jwks");
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.").ofMaxLength(400));
  }

  @Property(tries = 300)
  void anyJunk_isRefusedAndNeverThrows(@ForAll("junk") String raw) throws Exception {
    serveKeySet(); // jqwik runs properties outside JUnit's lifecycle
    assertThat(tokens.check(raw)).isInstanceOf(Refused.class);
  }

  @Property(tries = 100)
  void flippingAnyCharacterOfAValidToken_neverAuthenticatesAnotherCustomer(@ForAll("positions") int position)
      throws Exception {
    serveKeySet();
    String good = es256(claims().build(), ecKey);
    int i = position % good.length();
    char c = good.charAt(i);
    String bad = good.substring(0, i) + (c == 'A' ? 'B' : 'A') + good.substring(i + 1);
    CustomerTokens.Result r = tokens.check(bad);
    if (r instanceof Authenticated a) {
      // Base64url's last character may carry unused bits: such a flip leaves the token's bytes unchanged.
      assertThat(a.customer().value()).isEqualTo("cust-ada");
    } else {
      // A flipped key id names a key not in the set: a refetch, rate-limited, is Unavailable. Neither lets anyone in.
      assertThat(r).isInstanceOfAny(Refused.class, Unavailable.class);
    }
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 10_000);
  }
}
